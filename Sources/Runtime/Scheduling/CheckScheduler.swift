import Foundation
import Synchronization

/// Runs loaded checks on their intervals on a fixed pool of worker threads.
///
/// - One timer thread sleeps until the next due run (or a timeout to enforce): an idle
///   scheduler costs nothing between runs.
/// - Never two runs of one instance at once: a run that comes due while the previous one is
///   still going is skipped and counted (`onSkipped`).
/// - A run past its timeout is reported as failed at once and the check is asked to cancel
///   (an exec check kills its plugin); a late result is discarded.
/// - Workers are dedicated threads, not the Swift concurrency pool: checks may block (plugins,
///   sockets, Python), and a slow check holds one worker, never the others.
/// - A run that has not returned `hangGrace` after its timeout is written off: its worker
///   thread is left to it and a new one takes its place, so the pool never shrinks. The
///   instance's later runs are skipped until the hung one returns; its thread then exits.
public final class CheckScheduler: Sendable {
    public enum FirstRun: Sendable {
        /// At start-up: first runs are spread across the interval, so a thousand checks do
        /// not all start in the same second.
        case spread(offsetSeed: UInt64)
        /// After an edit: run now.
        case now
    }

    private struct Entry {
        var check: any Check
        var interval: UInt64
        var timeout: UInt64
        var generation: UInt64
        var policy: SenderPolicy
        /// Set when a run is queued: the instance is busy until it finishes.
        var runningSince: UInt64?
        /// Set when a worker starts the run: time in the queue is not run time.
        var startedAt: UInt64?
        var runningDeadline: UInt64?
        var timedOut = false
        /// The worker thread running it, while it runs.
        var worker: Int?
        var writtenOff = false
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var heap = DueHeap()
        var generation: UInt64 = 0
        var stopping = false
        var running = 0
        /// Instances with a run in progress: the only ones whose timeouts need watching.
        var runningKeys: Set<Int> = []
        /// When the timer thread will next wake on its own; earlier work must signal it.
        var timerWakesAt: UInt64 = 0
        /// Workers left to a hung run; each exits when (if) its run returns.
        var writtenOffWorkers: Set<Int> = []
        var nextWorker = 0
        var replacedWorkers = 0
        /// Runs whose instance was unscheduled or replaced while they ran, by worker: when
        /// each will be written off if it has not returned.
        var detached: [Int: UInt64] = [:]
    }

    private struct Job: Sendable {
        var key: Int
        var generation: UInt64
    }

    private let state = Mutex(State())
    private let jobs = JobQueue<Job>()
    private let timerWake = DispatchSemaphore(value: 0)
    private let idle = DispatchSemaphore(value: 0)
    private let workerCount: Int
    private let onReport: @Sendable (RunReport) -> Void
    private let onSkipped: @Sendable (Int) -> Void
    private let onRunStarted: @Sendable (Int) -> Void
    private let onHung: @Sendable (Int, Bool) -> Void
    /// How long after its timeout a run may take to come back before its worker is replaced.
    let hangGrace: UInt64

    /// - Parameters:
    ///   - workers: worker threads (default 4).
    ///   - onReport: called on the worker after each run that was not cancelled or timed out
    ///     earlier; a timed-out run is reported once, when it times out.
    ///   - onSkipped: a run came due while the previous one was still running.
    ///   - onRunStarted: a run is starting (for "running" state in status).
    ///   - hangGrace: after a run's timeout, how long before its worker is written off.
    ///   - onHung: (key, true) when a run's worker was written off; (key, false) when that
    ///     run finally returned.
    public init(workers: Int = 4,
                hangGrace: Duration = .seconds(10),
                onReport: @escaping @Sendable (RunReport) -> Void,
                onSkipped: @escaping @Sendable (Int) -> Void = { _ in },
                onRunStarted: @escaping @Sendable (Int) -> Void = { _ in },
                onHung: @escaping @Sendable (Int, Bool) -> Void = { _, _ in }) {
        workerCount = max(1, workers)
        self.hangGrace = max(1, hangGrace.nanoseconds)
        self.onReport = onReport
        self.onSkipped = onSkipped
        self.onRunStarted = onRunStarted
        self.onHung = onHung
        for _ in 0..<workerCount { startWorker() }
        let timer = Thread { [self] in self.timerLoop() }
        timer.name = "vigil-scheduler"
        timer.start()
    }

    public var workers: Int { workerCount }

    /// One instance to add (or replace).
    public struct Item: Sendable {
        public var key: Int
        public var check: any Check
        public var interval: Duration
        public var timeout: Duration
        public var policy: SenderPolicy
        public var firstRun: FirstRun

        public init(key: Int, check: any Check, interval: Duration, timeout: Duration, policy: SenderPolicy, firstRun: FirstRun) {
            self.key = key
            self.check = check
            self.interval = interval
            self.timeout = timeout
            self.policy = policy
            self.firstRun = firstRun
        }
    }

    /// Adds (or replaces) the instance `key`.
    public func schedule(key: Int, check: any Check, interval: Duration, timeout: Duration, policy: SenderPolicy, firstRun: FirstRun) {
        schedule([Item(key: key, check: check, interval: interval, timeout: timeout, policy: policy, firstRun: firstRun)])
    }

    /// Adds (or replaces) many instances under one lock.
    public func schedule(_ items: [Item]) {
        let now = Self.now()
        let (replaced, wake): ([any Check], Bool) = state.withLock { state in
            var replaced: [any Check] = []
            var wake = false
            for item in items {
                let intervalNanos = max(1, item.interval.nanoseconds)
                let due: UInt64
                switch item.firstRun {
                case .now: due = now
                case .spread(let seed): due = now + seed % intervalNanos
                }
                state.generation += 1
                if let previous = state.entries[item.key], previous.runningSince != nil {
                    replaced.append(previous.check)
                    if let worker = previous.worker, !previous.writtenOff { state.detached[worker] = now + hangGrace }
                }
                // A check that times itself out gets room to report it before the backstop fires.
                let backstop: UInt64 = item.check.enforcesOwnTimeout ? Self.backstopMargin : 0
                state.entries[item.key] = Entry(check: item.check, interval: intervalNanos,
                                                timeout: max(1, item.timeout.nanoseconds) + backstop,
                                                generation: state.generation, policy: item.policy)
                state.heap.push(DueHeap.Item(due: due, key: item.key, generation: state.generation))
                // Wake the timer only if this is due before it would wake anyway: scheduling
                // thousands of instances at start-up must not wake it thousands of times.
                if due < state.timerWakesAt {
                    state.timerWakesAt = due
                    wake = true
                }
            }
            return (replaced, wake)
        }
        replaced.forEach { $0.cancel() }
        if wake { timerWake.signal() }
    }

    /// Removes the instance; a run in progress is asked to cancel and its result dropped.
    public func unschedule(key: Int) {
        let (running, wake): ((any Check)?, Bool) = state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: key), entry.runningSince != nil else { return (nil, false) }
            guard let worker = entry.worker, !entry.writtenOff else { return (entry.check, false) }
            let writeOffAt = Self.now() + hangGrace
            state.detached[worker] = writeOffAt
            if writeOffAt < state.timerWakesAt {
                state.timerWakesAt = writeOffAt
                return (entry.check, true)
            }
            return (entry.check, false)
        }
        running?.cancel()
        if wake { timerWake.signal() }
    }

    public var scheduledCount: Int { state.withLock { $0.entries.count } }

    /// Worker threads started to replace ones written off to hung runs.
    public var replacedWorkers: Int { state.withLock { $0.replacedWorkers } }

    private func startWorker() {
        let id = state.withLock { state in
            defer { state.nextWorker += 1 }
            return state.nextWorker
        }
        let thread = Thread { [self] in self.workerLoop(id) }
        thread.name = "vigil-worker-\(id)"
        thread.start()
    }

    /// Stops starting runs (queued ones are dropped), waits for running ones, and cancels
    /// what is still running `cancelWindow` before `grace` ends (an exec plugin gets SIGTERM,
    /// then SIGKILL 2 s later), so the whole stop fits in `grace`. Then lets the workers go.
    public func stop(grace: Duration, cancelWindow: Duration = .seconds(2)) {
        state.withLock { $0.stopping = true }
        timerWake.signal()
        let start = DispatchTime.now()
        let graceNanos = grace.nanoseconds
        let deadline = start + .nanoseconds(Int(graceNanos))
        let cancelAt = start + .nanoseconds(Int(graceNanos - min(graceNanos, cancelWindow.nanoseconds)))
        func waitForRuns(until limit: DispatchTime) {
            while state.withLock({ $0.running }) > 0, DispatchTime.now() < limit {
                _ = idle.wait(timeout: min(limit, .now() + .milliseconds(50)))
            }
        }
        waitForRuns(until: cancelAt)
        let left = state.withLock { state in state.entries.values.filter { $0.startedAt != nil && !$0.writtenOff }.map(\.check) }
        left.forEach { $0.cancel() }
        waitForRuns(until: max(deadline, .now() + .milliseconds(500)))
        jobs.wakeAll(workerCount)
    }

    // MARK: - Threads

    private func timerLoop() {
        while true {
            var toCancel: [(any Check)] = []
            var timedOutKeys: [(Int, UInt64)] = []
            var skipped: [Int] = []
            var hung: [Int] = []
            var detachedReplacements = 0
            let (stopping, wait): (Bool, UInt64?) = state.withLock { state in
                if state.stopping { return (true, nil) }
                let now = Self.now()
                while let top = state.heap.first, top.due <= now {
                    _ = state.heap.pop()
                    guard var entry = state.entries[top.key], entry.generation == top.generation else { continue }
                    if entry.runningSince != nil {
                        skipped.append(top.key)
                    } else {
                        entry.runningSince = now
                        entry.startedAt = nil
                        entry.runningDeadline = nil
                        entry.timedOut = false
                        state.running += 1
                        state.runningKeys.insert(top.key)
                        jobs.push(Job(key: top.key, generation: entry.generation))
                    }
                    // Next due: one interval on; after a stall, no catch-up burst.
                    var next = top.due + entry.interval
                    if next <= now { next = now + entry.interval }
                    state.heap.push(DueHeap.Item(due: next, key: top.key, generation: entry.generation))
                    state.entries[top.key] = entry
                }
                var earliest = state.heap.first?.due
                for key in state.runningKeys {
                    guard let entry = state.entries[key], let deadline = entry.runningDeadline, !entry.writtenOff else { continue }
                    if !entry.timedOut {
                        if deadline <= now {
                            state.entries[key]?.timedOut = true
                            toCancel.append(entry.check)
                            timedOutKeys.append((key, entry.startedAt ?? now))
                            earliest = min(earliest ?? deadline + hangGrace, deadline + hangGrace)
                        } else {
                            earliest = min(earliest ?? deadline, deadline)
                        }
                    } else if deadline + hangGrace <= now, let worker = entry.worker {
                        state.entries[key]?.writtenOff = true
                        state.writtenOffWorkers.insert(worker)
                        state.replacedWorkers += 1
                        state.running -= 1
                        hung.append(key)
                    } else {
                        earliest = min(earliest ?? deadline + hangGrace, deadline + hangGrace)
                    }
                }
                var replacements = 0
                for (worker, writeOffAt) in state.detached {
                    if writeOffAt <= now {
                        state.detached[worker] = nil
                        state.writtenOffWorkers.insert(worker)
                        state.replacedWorkers += 1
                        state.running -= 1
                        replacements += 1
                    } else {
                        earliest = min(earliest ?? writeOffAt, writeOffAt)
                    }
                }
                detachedReplacements = replacements
                state.timerWakesAt = earliest ?? UInt64.max
                return (false, earliest.map { $0 > now ? $0 - now : 0 })
            }
            if stopping { return }
            // Callbacks run with no scheduler lock held.
            skipped.forEach(onSkipped)
            for (key, started) in timedOutKeys {
                let seconds = Double(Self.now() - started) / 1e9
                onReport(RunReport(key: key, startedAt: Date().timeIntervalSince1970 - seconds, duration: seconds,
                                   submissions: RunSubmissions(),
                                   error: CheckRunError("run timed out after \(String(format: "%.1f", seconds)) s")))
            }
            toCancel.forEach { $0.cancel() }
            for key in hung {
                startWorker()
                onHung(key, true)
            }
            for _ in 0..<detachedReplacements { startWorker() }
            if let wait {
                _ = timerWake.wait(timeout: .now() + .nanoseconds(Int(min(wait, UInt64(Int.max)))))
            } else {
                timerWake.wait()
            }
        }
    }

    private func workerLoop(_ worker: Int) {
        while let job = jobs.pop() {
            var wakeTimer = false
            let current: (check: any Check, policy: SenderPolicy)? = state.withLock { state in
                // Stopping: queued runs are dropped, not started.
                guard !state.stopping, let entry = state.entries[job.key], entry.generation == job.generation else { return nil }
                let now = Self.now()
                let deadline = now + entry.timeout
                state.entries[job.key]?.worker = worker
                state.entries[job.key]?.startedAt = now
                state.entries[job.key]?.runningDeadline = deadline
                if deadline < state.timerWakesAt {
                    state.timerWakesAt = deadline
                    wakeTimer = true
                }
                return (entry.check, entry.policy)
            }
            if wakeTimer { timerWake.signal() }
            guard let current else {
                if !finish(job, worker: worker, report: nil) { return }
                continue
            }
            onRunStarted(job.key)
            let sender = Sender(policy: current.policy)
            let startedAt = Date().timeIntervalSince1970
            let start = Self.now()
            var failure: CheckRunError?
            do {
                try current.check.run(sender)
            } catch let error as CheckRunError {
                failure = error
            } catch {
                failure = CheckRunError("\(error)")
            }
            let report = RunReport(key: job.key, startedAt: startedAt, duration: Double(Self.now() - start) / 1e9,
                                   submissions: sender.take(), error: failure)
            if !finish(job, worker: worker, report: report) { return }
        }
    }

    /// Ends a job. Returns false when the worker was written off and must exit (its
    /// replacement is already running).
    private func finish(_ job: Job, worker: Int, report: RunReport?) -> Bool {
        let (deliver, stopping, writtenOff) = state.withLock { state -> (Bool, Bool, Bool) in
            let writtenOff = state.writtenOffWorkers.remove(worker) != nil
            if !writtenOff { state.running -= 1 }
            state.detached[worker] = nil
            guard var entry = state.entries[job.key], entry.generation == job.generation else {
                // A detached run: the key's current entry (if any) may be running elsewhere.
                if state.entries[job.key]?.runningSince == nil { state.runningKeys.remove(job.key) }
                return (false, state.stopping, writtenOff)
            }
            state.runningKeys.remove(job.key)
            let timedOut = entry.timedOut
            entry.runningSince = nil
            entry.startedAt = nil
            entry.runningDeadline = nil
            entry.timedOut = false
            entry.worker = nil
            entry.writtenOff = false
            state.entries[job.key] = entry
            return (!timedOut, state.stopping, writtenOff)
        }
        if deliver, let report { onReport(report) }
        if writtenOff { onHung(job.key, false) }
        // Only a stop waits for runs to finish; the timer has nothing to do when one does.
        if stopping { idle.signal() }
        return !writtenOff
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// How long after its own timeout a self-timing check may take to wind down (an exec
    /// plugin's SIGTERM grace is 2 s).
    static let backstopMargin: UInt64 = 5_000_000_000
}

extension Duration {
    var nanoseconds: UInt64 {
        let parts = components
        return UInt64(max(0, parts.seconds)) &* 1_000_000_000 &+ UInt64(max(0, parts.attoseconds / 1_000_000_000))
    }
}
