public import VigilConfig

/// The narrow face of the runtime the reconciler applies plans through.
public protocol CheckRuntime: Sendable {
    /// Loads and starts instances. `initial` is the first pass after start-up, whose first runs
    /// are spread over each interval; later instances run at once.
    func schedule(_ specs: [CheckSpec], initial: Bool) async -> [CheckID: ScheduleResult]
    func unschedule(_ ids: [CheckID]) async
    /// Every instance the runtime has, loaded or waiting for a retry.
    func currentIDs() async -> Set<CheckID>
    /// Running instances that kept their ID but now come from another place (`path[index]`):
    /// nothing restarts, only the recorded source changes.
    func updateSources(_ specs: [CheckSpec]) async
}

extension CheckRuntime {
    public func updateSources(_ specs: [CheckSpec]) async {}
}

/// How scheduling one instance went.
public enum ScheduleResult: Sendable, Equatable {
    case scheduled
    /// No loader could load it: retried with backoff until its digest changes or it loads.
    case loadFailed(String)
    /// Deliberately not run (JMX); never retried.
    case skipped
}
