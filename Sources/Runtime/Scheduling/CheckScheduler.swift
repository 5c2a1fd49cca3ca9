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
        var runningSince: UInt64?
        var runningDeadline: UInt64?
        var timedOut = false
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

    /// - Parameters:
    ///   - workers: worker threads (default 4).
    ///   - onReport: called on the worker after each run that was not cancelled or timed out
    ///     earlier; a timed-out run is reported once, when it times out.
    ///   - onSkipped: a run came due while the previous one was still running.
    ///   - onRunStarted: a run is starting (for "running" state in status).
    public init(workers: Int = 4,
                onReport: @escaping @Sendable (RunReport) -> Void,
                onSkipped: @escaping @Sendable (Int) -> Void = { _ in },
                onRunStarted: @escaping @Sendable (Int) -> Void = { _ in }) {
        workerCount = max(1, workers)
        self.onReport = onReport
        self.onSkipped = onSkipped
        self.onRunStarted = onRunStarted
        for index in 0..<workerCount {
            let thread = Thread { [self] in self.workerLoop() }
            thread.name = "vigil-worker-\(index)"
            thread.start()
        }
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
                if let previous = state.entries[item.key], previous.runningSince != nil { replaced.append(previous.check) }
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
        let running: (any Check)? = state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: key) else { return nil }
            return entry.runningSince != nil ? entry.check : nil
        }
        running?.cancel()
    }

    public var scheduledCount: Int { state.withLock { $0.entries.count } }

    /// Stops starting runs, waits up to `grace` for running ones, then cancels what is left
    /// (exec plugins are killed) and lets the workers go.
    public func stop(grace: Duration) {
        state.withLock { $0.stopping = true }
        timerWake.signal()
        let deadline = DispatchTime.now() + .nanoseconds(Int(grace.nanoseconds))
        while state.withLock({ $0.running }) > 0 {
            if idle.wait(timeout: min(deadline, .now() + .milliseconds(50))) == .timedOut, DispatchTime.now() >= deadline { break }
        }
        let left = state.withLock { state in state.entries.values.filter { $0.runningSince != nil }.map(\.check) }
        left.forEach { $0.cancel() }
        let cancelDeadline = DispatchTime.now() + .seconds(3)
        while state.withLock({ $0.running }) > 0, DispatchTime.now() < cancelDeadline {
            _ = idle.wait(timeout: .now() + .milliseconds(50))
        }
        jobs.wakeAll(workerCount)
    }

    // MARK: - Threads

    private func timerLoop() {
        while true {
            var toCancel: [(any Check)] = []
            var timedOutKeys: [(Int, UInt64)] = []
            var skipped: [Int] = []
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
                        entry.runningDeadline = now + entry.timeout
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
                    guard let entry = state.entries[key], let deadline = entry.runningDeadline, !entry.timedOut else { continue }
                    if deadline <= now {
                        state.entries[key]?.timedOut = true
                        toCancel.append(entry.check)
                        timedOutKeys.append((key, entry.runningSince ?? now))
                    } else {
                        earliest = min(earliest ?? deadline, deadline)
                    }
                }
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
            if let wait {
                _ = timerWake.wait(timeout: .now() + .nanoseconds(Int(min(wait, UInt64(Int.max)))))
            } else {
                timerWake.wait()
            }
        }
    }

    private func workerLoop() {
        while let job = jobs.pop() {
            let current: (check: any Check, policy: SenderPolicy)? = state.withLock { state in
                guard let entry = state.entries[job.key], entry.generation == job.generation else { return nil }
                return (entry.check, entry.policy)
            }
            guard let current else {
                finish(job, report: nil)
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
            finish(job, report: report)
        }
    }

    private func finish(_ job: Job, report: RunReport?) {
        let (deliver, stopping) = state.withLock { state -> (Bool, Bool) in
            state.running -= 1
            state.runningKeys.remove(job.key)
            guard var entry = state.entries[job.key], entry.generation == job.generation else { return (false, state.stopping) }
            let timedOut = entry.timedOut
            entry.runningSince = nil
            entry.runningDeadline = nil
            entry.timedOut = false
            state.entries[job.key] = entry
            return (!timedOut, state.stopping)
        }
        if deliver, let report { onReport(report) }
        // Only a stop waits for runs to finish; the timer has nothing to do when one does.
        if stopping { idle.signal() }
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
