/// A loaded check instance. `run` is called on a worker thread, never two at once for one
/// instance; it submits through the sender and throws to report a failed run.
public protocol Check: AnyObject, Sendable {
    func run(_ sender: Sender) throws
    /// Stop a run in progress, or before unscheduling; called from another thread.
    func cancel()
    /// The check's version for status (a Python module's `__version__`), if any.
    var version: String? { get }
    /// The check enforces the run timeout itself and reports it (an exec check kills its
    /// plugin and reports UNKNOWN). The scheduler then only steps in as a backstop, a few
    /// seconds later.
    var enforcesOwnTimeout: Bool { get }
}

extension Check {
    public func cancel() {}
    public var version: String? { nil }
    public var enforcesOwnTimeout: Bool { false }
}

/// A failed run: the message status shows, and a traceback when there is one.
public struct CheckRunError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var traceback: String?

    public init(_ message: String, traceback: String? = nil) {
        self.message = message
        self.traceback = traceback
    }

    public var description: String { message }
}
