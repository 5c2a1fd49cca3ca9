public import VigilConfig

/// A change of an instance's state, for logs and the journal: one per change, never one per
/// successful run.
public enum RuntimeEvent: Sendable {
    case scheduled(CheckSpec, loader: String)
    case unscheduled(CheckID)
    case loadFailed(CheckSpec, errors: [String: String])
    case skipped(CheckSpec, reason: String)
    /// The first failed run after a success (or after scheduling).
    case runFailing(CheckSpec, error: CheckRunError)
    /// The first successful run after a failure.
    case runRecovered(CheckSpec)
    /// A run ignored its timeout and its worker was replaced.
    case runHung(CheckSpec)
    /// That run came back at last; the instance runs on its schedule again.
    case hungRunReturned(CheckSpec)
}
