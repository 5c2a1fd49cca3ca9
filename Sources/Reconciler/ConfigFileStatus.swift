public import VigilConfig

/// One config file as status shows it.
public struct ConfigFileStatus: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Valid; its instances are the file's.
        case ok
        /// Invalid now; the instances of its last valid version keep running.
        case degraded
        /// Invalid, with no valid version seen since start-up: nothing runs from it.
        case invalid
    }

    public var path: String
    public var checkName: String
    public var state: State
    public var errors: [ConfigIssue]
    public var warnings: [ConfigIssue]
    /// The instances running from this file (the last valid version's when degraded).
    public var instances: [CheckID]
}
