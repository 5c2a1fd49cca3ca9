import Foundation
public import VigilConfig
import Synchronization

/// The runtime: loads instances through the loader chain, runs them on the scheduler,
/// aggregates what they submit and keeps their statistics and errors. One owner for all of it,
/// so errors are keyed per instance and per loader, and cleared on success.
public final class CheckRunner: Sendable {
    public enum ScheduleOutcome: Sendable, Equatable {
        case scheduled(loader: String)
        /// Every loader failed; the reconciler retries with backoff.
        case loadFailed(errors: [String: String])
        case skipped(reason: String)
    }

    private struct Record {
        var spec: CheckSpec
        var key: Int
        var loader: String?
        var check: (any Check)?
        var state: InstanceState
        var loaderErrors: [String: String] = [:]
        var skipReason: String?
        var stats = InstanceStats()
        var aggregator = CheckAggregator()
        var latestSeries: [Series] = []
        var latestServiceChecks: [ServiceCheck] = []
        var latestEvents: [CheckEvent] = []
        var failing = false
        /// Runs skipped since the last "runs skipped" event, and when that event went out.
        var skippedSinceNotice = 0
        var lastSkipNotice: ContinuousClock.Instant?
    }

    /// At most one "runs skipped" event per instance in this period: skips can recur every
    /// interval while the pool is saturated, and the journal wants state changes, not a beat.
    static let skipNoticePeriod: Duration = .seconds(600)

    private struct State {
        var records: [CheckID: Record] = [:]
        var idByKey: [Int: CheckID] = [:]
        var nextKey = 0
    }

    public let chain: LoaderChain
    public let hostname: String
    private let state = Mutex(State())
    private let onEvent: @Sendable (RuntimeEvent) -> Void
    private let onRun: (@Sendable (RunOutput) -> Void)?
    private let schedulerBox = Mutex<CheckScheduler?>(nil)
    private let loadQueue = DispatchQueue(label: "vigil.load", attributes: .concurrent)

    /// - Parameter hangGrace: after a run's timeout, how long before its worker thread is
    ///   written off and replaced.
    public init(chain: LoaderChain, workers: Int = 4, hostname: String = ProcessInfoHostname.current,
                hangGrace: Duration = .seconds(10),
                onEvent: @escaping @Sendable (RuntimeEvent) -> Void = { _ in },
                onRun: (@Sendable (RunOutput) -> Void)? = nil) {
        self.chain = chain
        self.hostname = hostname
        self.onEvent = onEvent
        self.onRun = onRun
        let scheduler = CheckScheduler(
            workers: workers,
            hangGrace: hangGrace,
            onReport: { [weak self] report in self?.record(report) },
            onSkipped: { [weak self] key in self?.skipped(key) },
            onRunStarted: { [weak self] key in self?.started(key) },
            onHung: { [weak self] key, hung in self?.hung(key, hung) })
        schedulerBox.withLock { $0 = scheduler }
    }

    private var scheduler: CheckScheduler { schedulerBox.withLock { $0! } }

    public var workers: Int { scheduler.workers }

    /// Worker threads started to replace ones left to hung runs.
    public var replacedWorkers: Int { scheduler.replacedWorkers }

    // MARK: - Scheduling

    /// Loads and schedules instances. Loading happens off the Swift concurrency pool (a
    /// Python import can take a while). An ID already scheduled is left alone; one in
    /// load_error is loaded again.
    /// - Parameter spreadFirstRuns: at start-up, spread first runs over each interval;
    ///   later, run new instances at once.
    public func schedule(_ specs: [CheckSpec], spreadFirstRuns: Bool) async -> [CheckID: ScheduleOutcome] {
        await withCheckedContinuation { continuation in
            loadQueue.async {
                continuation.resume(returning: self.scheduleNow(specs, spreadFirstRuns: spreadFirstRuns))
            }
        }
    }

    /// The synchronous form, for callers already off the concurrency pool.
    public func scheduleNow(_ specs: [CheckSpec], spreadFirstRuns: Bool) -> [CheckID: ScheduleOutcome] {
        var outcomes: [CheckID: ScheduleOutcome] = [:]
        outcomes.reserveCapacity(specs.count)
        let context = LoadContext(hostname: hostname)
        // Existing records and keys for new ones, under one lock.
        let existing: [Record?] = state.withLock { state in
            specs.map { spec in
                if let record = state.records[spec.id] { return record }
                defer { state.nextKey += 1 }
                return Record(spec: spec, key: state.nextKey, state: .loadError)
            }
        }
        var records: [Record] = []
        records.reserveCapacity(specs.count)
        var items: [CheckScheduler.Item] = []
        var events: [RuntimeEvent] = []
        for (spec, previous) in zip(specs, existing) {
            guard var record = previous else { continue }
            if record.check != nil, let loader = record.loader {
                outcomes[spec.id] = .scheduled(loader: loader)
                continue
            }
            switch chain.load(spec, context: context) {
            case .loaded(let loader, let check):
                let stats = record.stats
                record = Record(spec: spec, key: record.key, loader: loader, check: check, state: .scheduled)
                record.stats = stats
                outcomes[spec.id] = .scheduled(loader: loader)
                events.append(.scheduled(spec, loader: loader))
                let seed = UInt64(spec.digest.hex.prefix(16), radix: 16) ?? 0
                items.append(CheckScheduler.Item(key: record.key, check: check, interval: spec.options.interval,
                                                 timeout: spec.options.timeout ?? spec.options.interval,
                                                 policy: policy(for: spec, loader: loader),
                                                 firstRun: spreadFirstRuns ? .spread(offsetSeed: seed) : .now))
            case .failed(let errors, _):
                let changed = record.loaderErrors != errors
                record.state = .loadError
                record.loaderErrors = errors
                outcomes[spec.id] = .loadFailed(errors: errors)
                if changed { events.append(.loadFailed(spec, errors: errors)) }
            case .skipped(let reason):
                let isNew = record.skipReason == nil
                record.state = .skipped
                record.skipReason = reason
                outcomes[spec.id] = .skipped(reason: reason)
                if isNew { events.append(.skipped(spec, reason: reason)) }
            }
            records.append(record)
        }
        state.withLock { state in
            for record in records {
                state.records[record.spec.id] = record
                state.idByKey[record.key] = record.spec.id
            }
        }
        // Announced before their first runs can report anything.
        events.forEach(onEvent)
        scheduler.schedule(items)
        return outcomes
    }

    public func unschedule(_ ids: [CheckID]) {
        for id in ids {
            let removed = state.withLock { state -> Record? in
                guard let record = state.records.removeValue(forKey: id) else { return nil }
                state.idByKey[record.key] = nil
                return record
            }
            guard let removed else { continue }
            scheduler.unschedule(key: removed.key)
            removed.check?.cancel()
            removed.check?.unload()
            onEvent(.unscheduled(removed.spec))
        }
    }

    /// Instances that kept their ID but moved (another index in the file, another file): the
    /// new `path[index]` is recorded; the instance keeps running untouched.
    public func updateSources(_ specs: [CheckSpec]) {
        state.withLock { state in
            for spec in specs where state.records[spec.id] != nil {
                state.records[spec.id]?.spec.source = spec.source
            }
        }
    }

    /// Every instance the runtime knows, loaded or not.
    public var instanceIDs: Set<CheckID> { state.withLock { Set($0.records.keys) } }

    public func snapshot() -> [InstanceSnapshot] {
        state.withLock { state in
            state.records.values.map { record in
                InstanceSnapshot(spec: record.spec, loader: record.loader, state: record.state, loaderErrors: record.loaderErrors,
                                 skipReason: record.skipReason, version: record.check?.version, stats: record.stats,
                                 latestSeries: record.latestSeries, latestServiceChecks: record.latestServiceChecks,
                                 latestEvents: record.latestEvents, details: record.check?.details ?? CheckDetails())
            }
        }
    }

    /// Stops scheduling, lets running checks finish within `grace`, then cancels the rest.
    /// Blocks while it waits.
    public func stop(grace: Duration) {
        scheduler.stop(grace: grace)
    }

    /// `stop(grace:)` without holding a thread of the concurrency pool while waiting.
    public func shutdown(grace: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                self.stop(grace: grace)
                continuation.resume()
            }
        }
    }

    // MARK: - Run results

    private func policy(for spec: CheckSpec, loader: String) -> SenderPolicy {
        // A Python check adds instance tags itself; native and exec checks get them here.
        SenderPolicy(extraTags: loader == "python" ? [] : spec.options.tags, service: spec.options.service,
                     defaultHost: hostname, emptyDefaultHostname: spec.options.emptyDefaultHostname)
    }

    private func record(_ report: RunReport) {
        let hostname = self.hostname
        let wantsOutput = onRun != nil
        let recorded: (event: RuntimeEvent?, output: RunOutput?)? = state.withLock { state in
            guard let id = state.idByKey[report.key], state.records[id] != nil else { return nil }
            // Modified in place: copying the record out and back would copy its aggregation
            // state on every run.
            var series: [Series] = []
            let event = Self.apply(report, to: &state.records[id]!, hostname: hostname, flushed: &series)
            let output = wantsOutput ? RunOutput(id: id, series: series, serviceChecks: state.records[id]!.latestServiceChecks) : nil
            return (event, output)
        }
        if let event = recorded?.event { onEvent(event) }
        if let output = recorded?.output { onRun?(output) }
    }

    private static func apply(_ report: RunReport, to record: inout Record, hostname: String,
                              flushed: inout [Series]) -> RuntimeEvent? {
        record.stats.record(report)
        if record.state != .hung { record.state = .scheduled }
        let series = record.aggregator.commit(report.submissions.metrics, defaultHost: hostname, at: report.startedAt)
        flushed = series
        if report.error == nil || !series.isEmpty { record.latestSeries = series }
        record.latestServiceChecks = report.submissions.serviceChecks.map { check in
            var check = check
            check.timestamp = report.startedAt
            return check
        }
        record.latestEvents = report.submissions.events
        if let error = report.error, !record.failing {
            record.failing = true
            return .runFailing(record.spec, error: error)
        } else if report.error == nil, record.failing {
            record.failing = false
            return .runRecovered(record.spec)
        }
        return nil
    }

    private func skipped(_ key: Int) {
        let notice: (CheckSpec, Int)? = state.withLock { state in
            guard let id = state.idByKey[key], var record = state.records[id] else { return nil }
            record.stats.skippedRuns += 1
            record.skippedSinceNotice += 1
            let now = ContinuousClock.now
            var notice: (CheckSpec, Int)?
            if record.lastSkipNotice.map({ now - $0 >= Self.skipNoticePeriod }) ?? true {
                notice = (record.spec, record.skippedSinceNotice)
                record.lastSkipNotice = now
                record.skippedSinceNotice = 0
            }
            state.records[id] = record
            return notice
        }
        if let (spec, count) = notice { onEvent(.runsSkipped(spec, count: count, workers: scheduler.workers)) }
    }

    private func hung(_ key: Int, _ isHung: Bool) {
        let spec: CheckSpec? = state.withLock { state in
            guard let id = state.idByKey[key], state.records[id] != nil else { return nil }
            state.records[id]!.state = isHung ? .hung : .scheduled
            return state.records[id]!.spec
        }
        if let spec { onEvent(isHung ? .runHung(spec) : .hungRunReturned(spec)) }
    }

    private func started(_ key: Int) {
        state.withLock { state in
            guard let id = state.idByKey[key] else { return }
            state.records[id]?.state = .running
        }
    }
}

/// The machine's host name (gethostname(2), no name lookups), the default host of submissions.
public enum ProcessInfoHostname {
    public static var current: String {
        var buffer = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#endif
