public import VigilConfig

/// Turns a ``CheckSpec`` into a runnable ``Check``, or says why it cannot.
public protocol CheckLoader: Sendable {
    /// The name a `loader:` pin uses: `native`, `python`, `exec`.
    var name: String { get }
    func load(_ spec: CheckSpec, context: LoadContext) throws(LoadError) -> any Check
}

/// What loaders get besides the spec.
public struct LoadContext: Sendable {
    /// The host name submissions default to.
    public var hostname: String

    public init(hostname: String) {
        self.hostname = hostname
    }
}

/// Why a loader did not load an instance: it does not know the check (the chain moves on),
/// it knows it and loading failed, or the check itself declined the instance (an integration
/// that refuses a configuration too old or too new for it: skipped, not retried).
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case notFound, failed, declined }
    public var kind: Kind
    public var message: String

    public static func notFound(_ message: String) -> LoadError { LoadError(kind: .notFound, message: message) }
    public static func failed(_ message: String) -> LoadError { LoadError(kind: .failed, message: message) }
    public static func declined(_ message: String) -> LoadError { LoadError(kind: .declined, message: message) }

    public var description: String { message }
}
