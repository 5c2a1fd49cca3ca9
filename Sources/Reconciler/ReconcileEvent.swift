public import VigilConfig

/// What a reconcile pass noticed, for logs and the journal.
public enum ReconcileEvent: Sendable {
    /// A file became invalid; `keptInstances` of its last valid version keep running.
    case fileInvalid(path: String, errors: [ConfigIssue], keptInstances: Int)
    /// A file that was invalid is valid again.
    case fileRecovered(path: String)
    /// A root cannot be read (missing, unmounted): its files' instances keep running.
    case configDirectoryMissing(path: String, reason: String)
    case configDirectoryBack(path: String)
    /// A pass finished.
    case passCompleted(PassSummary)
}

/// One reconcile pass, in numbers.
public struct PassSummary: Sendable, Equatable {
    public var full: Bool
    public var filesRead: Int
    public var filesParsed: Int
    public var scheduled: Int
    public var unscheduled: Int
    public var replaced: Int
    public var unchanged: Int
    public var loadFailures: Int
    public var duration: Duration
}
