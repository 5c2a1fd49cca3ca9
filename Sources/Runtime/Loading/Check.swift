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
    /// The instance is being unscheduled for good (after any run was cancelled): release what
    /// it holds. A Python check's `cancel()` is called here.
    func unload()
    /// What the check reports about itself beyond its runs, for status.
    var details: CheckDetails { get }
}

extension Check {
    public func cancel() {}
    public var version: String? { nil }
    public var enforcesOwnTimeout: Bool { false }
    public func unload() {}
    public var details: CheckDetails { CheckDetails() }
}

/// Status facts a check keeps about itself.
public struct CheckDetails: Sendable, Equatable {
    /// `set_check_metadata` values (a Python check's version of the monitored software, …).
    public var metadata: [String: String]
    /// Python memory allocated during this instance's runs and not freed by their ends, summed
    /// over all runs (tracemalloc deltas; nil unless `--python-tracemalloc` is on).
    public var pythonAllocatedBytes: Int64?
    /// The same for the last run only.
    public var pythonAllocatedBytesLastRun: Int64?

    public init(metadata: [String: String] = [:], pythonAllocatedBytes: Int64? = nil, pythonAllocatedBytesLastRun: Int64? = nil) {
        self.metadata = metadata
        self.pythonAllocatedBytes = pythonAllocatedBytes
        self.pythonAllocatedBytesLastRun = pythonAllocatedBytesLastRun
    }
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
