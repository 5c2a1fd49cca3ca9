public import VigilConfig

/// A change of an instance's state, for logs and the journal: one per change, never one per
/// successful run.
public enum RuntimeEvent: Sendable {
    case scheduled(CheckSpec, loader: String)
    case unscheduled(CheckSpec)
    case loadFailed(CheckSpec, errors: [String: String])
    case skipped(CheckSpec, reason: String)
    /// The first failed run after a success (or after scheduling).
    case runFailing(CheckSpec, error: CheckRunError)
    /// The first successful run after a failure.
    case runRecovered(CheckSpec)
    /// Runs came due while the previous one was still queued or running (a slow check, or
    /// every worker busy): `count` skipped since the last such event, at most one per
    /// ``CheckRunner/skipNoticePeriod``.
    case runsSkipped(CheckSpec, count: Int, workers: Int)
    /// A run ignored its timeout and its worker was replaced.
    case runHung(CheckSpec)
    /// That run came back at last; the instance runs on its schedule again.
    case hungRunReturned(CheckSpec)
}
