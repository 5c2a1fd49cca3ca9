import Synchronization

/// Why a pass should run. Triggers only say "look again"; the pass decides what changed.
public struct ReconcileTrigger: Sendable, Equatable {
    /// Paths that may have changed (from the watcher).
    public var paths: Set<String> = []
    /// Reasons for a full re-read of every root (resync, SIGHUP, overflow).
    public var fullReasons: [String] = []
    /// Load retries came due.
    public var retry = false
    /// Check code changed (a `.py` in checks.d): every waiting load is retried now, not when
    /// its backoff ends — the module a load failed on may just have arrived.
    public var retryNow = false
    /// Only a liveness tick (the watchdog): no pass.
    public var tick = false

    public init(paths: Set<String> = [], fullReasons: [String] = [], retry: Bool = false, retryNow: Bool = false, tick: Bool = false) {
        self.paths = paths
        self.fullReasons = fullReasons
        self.retry = retry
        self.retryNow = retryNow
        self.tick = tick
    }

    public static func full(_ reason: String) -> ReconcileTrigger { ReconcileTrigger(fullReasons: [reason]) }

    public var isFull: Bool { !fullReasons.isEmpty }
    public var needsPass: Bool { isFull || !paths.isEmpty || retry || retryNow }

    mutating func merge(_ other: ReconcileTrigger) {
        paths.formUnion(other.paths)
        fullReasons += other.fullReasons.filter { !fullReasons.contains($0) }
        retry = retry || other.retry
        retryNow = retryNow || other.retryNow
        tick = tick || other.tick
    }
}

/// Triggers wait here while a pass runs and merge into one: the loop never runs two passes at
/// once and never queues more than one behind the current.
final class TriggerMailbox: Sendable {
    private let pending = Mutex<ReconcileTrigger?>(nil)
    private let doorbell: AsyncStream<Void>.Continuation
    private let rings: AsyncStream<Void>

    init() {
        (rings, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func post(_ trigger: ReconcileTrigger) {
        pending.withLock { current in
            if current == nil { current = trigger } else { current!.merge(trigger) }
        }
        doorbell.yield()
    }

    func finish() { doorbell.finish() }

    /// The next merged trigger, or nil once finished and drained.
    func next(_ iterator: inout AsyncStream<Void>.AsyncIterator) async -> ReconcileTrigger? {
        while true {
            if let trigger = pending.withLock({ current -> ReconcileTrigger? in
                defer { current = nil }
                return current
            }) { return trigger }
            guard await iterator.next() != nil else { return nil }
        }
    }

    func makeIterator() -> AsyncStream<Void>.AsyncIterator { rings.makeAsyncIterator() }
}
