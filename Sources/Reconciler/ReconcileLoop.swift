import Foundation
public import VigilConfig
import Synchronization

/// The level-triggered loop: each trigger (watch batch, resync, retry) re-reads what may have
/// changed, rebuilds the desired set, plans against what runs, and applies the plan, one
/// pass at a time. New instances are scheduled before replaced ones are stopped; load
/// failures are retried with backoff until the instance loads or its digest changes.
public actor ReconcileLoop {
    private let tree: ConfigTree
    private let runtime: any CheckRuntime
    private let onEvent: @Sendable (ReconcileEvent) -> Void
    private let heartbeat: @Sendable () -> Void
    private var retry: RetryQueue
    private var applied: [CheckID: ConfigSource] = [:]
    private var retryTimer: Task<Void, Never>?
    private var initialPassDone = false
    private let mailbox = TriggerMailbox()
    private let statusBox = Mutex(ReconcilerStatus())

    /// - Parameters:
    ///   - heartbeat: called on every tick and after every pass, from the loop itself; a stuck
    ///     loop stops calling it (the systemd watchdog relies on that).
    public init(roots: [String], reader: CheckFileReader, runtime: any CheckRuntime, retry: RetryQueue = RetryQueue(),
                onEvent: @escaping @Sendable (ReconcileEvent) -> Void = { _ in }, heartbeat: @escaping @Sendable () -> Void = {}) {
        tree = ConfigTree(roots: roots, reader: reader)
        self.runtime = runtime
        self.retry = retry
        self.onEvent = onEvent
        self.heartbeat = heartbeat
    }

    /// Asks for a pass; callable from anywhere. Triggers that arrive during a pass merge
    /// into the next one.
    public nonisolated func trigger(_ trigger: ReconcileTrigger) {
        mailbox.post(trigger)
    }

    /// Ends `run()` after the pass in progress.
    public nonisolated func finish() {
        mailbox.finish()
    }

    public nonisolated var status: ReconcilerStatus { statusBox.withLock { $0 } }

    /// Every config file's state, built on demand (a pass only records what changed).
    public func fileStatuses() -> [ConfigFileStatus] { tree.fileStatuses }

    /// The first full pass (instances spread their first runs), then one pass per trigger
    /// until `finish()` or cancellation.
    public func run() async {
        await pass(ReconcileTrigger.full("start-up"))
        var iterator = mailbox.makeIterator()
        while !Task.isCancelled, let trigger = await mailbox.next(&iterator) {
            if trigger.tick { tick() }
            if trigger.needsPass { await pass(trigger) }
        }
        retryTimer?.cancel()
    }

    /// One pass, exposed for tests and benchmarks that drive the loop by hand.
    public func pass(_ trigger: ReconcileTrigger) async {
        let started = ContinuousClock.now
        let events = trigger.isFull || !initialPassDone ? tree.refreshAll() : tree.refresh(paths: trigger.paths)
        events.forEach(onEvent)
        if trigger.isFull {
            // Level-based: ask the runtime what it really has.
            let actual = await runtime.currentIDs()
            for id in applied.keys where !actual.contains(id) { applied[id] = nil }
            for id in actual where applied[id] == nil { applied[id] = ConfigSource(path: "", index: -1) }
        }
        let desired = tree.desired
        let full = trigger.isFull || !initialPassDone
        // The same pure planner, over the instances this pass touched; a full pass looks at all.
        let plan: Plan
        if full {
            plan = Planner.plan(desired: desired, running: applied)
        } else {
            let touched = tree.changedIDs
            var wanted: [CheckID: CheckSpec] = [:], running: [CheckID: ConfigSource] = [:]
            for id in touched {
                if let spec = desired[id] { wanted[id] = spec }
                if let source = applied[id] { running[id] = source }
            }
            plan = Planner.plan(desired: wanted, running: running)
        }
        var toSchedule = plan.schedule
        let now = ContinuousClock.now
        if trigger.retryNow { retry.makeAllDue(at: now) }
        if trigger.retry || trigger.retryNow || trigger.isFull {
            for id in retry.due(at: now) {
                if let spec = desired[id] { toSchedule.append(spec) } else { retry.forget(id) }
            }
        }
        var loadFailures = 0
        if !toSchedule.isEmpty {
            let results = await runtime.schedule(toSchedule, initial: !initialPassDone)
            for spec in toSchedule {
                switch results[spec.id] {
                case .loadFailed?:
                    retry.failed(spec.id, at: now)
                    loadFailures += 1
                case .scheduled?, .skipped?:
                    retry.forget(spec.id)
                case nil:
                    continue
                }
                applied[spec.id] = spec.source
            }
        }
        if !plan.unschedule.isEmpty {
            await runtime.unschedule(plan.unschedule)
            for id in plan.unschedule {
                applied[id] = nil
                retry.forget(id)
            }
        }
        // Keep sources current (an instance moved within its file keeps its ID).
        for spec in plan.schedule { applied[spec.id] = spec.source }
        if !plan.moved.isEmpty {
            await runtime.updateSources(plan.moved)
            for spec in plan.moved { applied[spec.id] = spec.source }
        }
        armRetryTimer()

        let summary = PassSummary(full: full, filesRead: tree.filesRead, filesParsed: tree.filesParsed,
                                  scheduled: plan.schedule.count, unscheduled: plan.unschedule.count,
                                  replaced: plan.replacements.count, unchanged: plan.unchanged, loadFailures: loadFailures,
                                  duration: ContinuousClock.now - started)
        initialPassDone = true
        let problems = events.isEmpty && !full ? nil : tree.fileStatuses.filter { $0.state != .ok }
        let fileCount = tree.fileCount
        let missing = tree.missingRoots
        let retrying = retry.failureCounts
        let desiredCount = desired.count
        statusBox.withLock { status in
            status.ready = true
            status.passes += 1
            status.lastPass = summary
            status.passDurations.record(Double(summary.duration.components.seconds) + Double(summary.duration.components.attoseconds) / 1e18)
            if let problems { status.problemFiles = problems }
            status.fileCount = fileCount
            status.missingRoots = missing
            status.desiredInstances = desiredCount
            status.retrying = retrying
        }
        onEvent(.passCompleted(summary))
        tick()
    }

    private func tick() {
        statusBox.withLock { $0.lastTick = .now }
        heartbeat()
    }

    private func armRetryTimer() {
        retryTimer?.cancel()
        guard let due = retry.nextDue else { return }
        let mailbox = self.mailbox
        retryTimer = Task {
            try? await Task.sleep(until: due, clock: .continuous)
            if !Task.isCancelled { mailbox.post(ReconcileTrigger(retry: true)) }
        }
    }
}
