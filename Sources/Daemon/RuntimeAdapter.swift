public import Reconciler
public import Runtime
public import VigilConfig

/// The runtime as the reconciler sees it: the narrow `CheckRuntime` protocol over
/// `CheckRunner`, so neither module imports the other.
public struct RuntimeAdapter: CheckRuntime {
    let runner: CheckRunner

    public init(runner: CheckRunner) {
        self.runner = runner
    }

    public func schedule(_ specs: [CheckSpec], initial: Bool) async -> [CheckID: ScheduleResult] {
        let outcomes = await runner.schedule(specs, spreadFirstRuns: initial)
        return outcomes.mapValues { outcome in
            switch outcome {
            case .scheduled: return .scheduled
            case .loadFailed(let errors): return .loadFailed(LoaderChain.describe(errors))
            case .skipped: return .skipped
            }
        }
    }

    public func unschedule(_ ids: [CheckID]) async {
        runner.unschedule(ids)
    }

    public func currentIDs() async -> Set<CheckID> {
        runner.instanceIDs
    }

    public func updateSources(_ specs: [CheckSpec]) async {
        runner.updateSources(specs)
    }
}
