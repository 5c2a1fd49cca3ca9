/// Debouncing: collects touched paths and resync reasons, and says when they are due: after
/// `debounce` of quiet, but never later than `maxDelay` after the first. Pure: times are given.
struct BatchAccumulator {
    let debounce: UInt64
    let maxDelay: UInt64
    private var pending: WatchBatch?
    private var firstAt: UInt64 = 0
    private var lastAt: UInt64 = 0

    init(debounce: Duration, maxDelay: Duration) {
        self.debounce = debounce.nanoseconds
        self.maxDelay = maxDelay.nanoseconds
    }

    var isEmpty: Bool { pending == nil }

    mutating func add(_ batch: WatchBatch, at now: UInt64) {
        if let current = pending {
            pending = current.merged(with: batch)
        } else {
            pending = batch
            firstAt = now
        }
        lastAt = now
    }

    /// When the pending batch is due, or nil when there is none.
    var deadline: UInt64? {
        guard pending != nil else { return nil }
        return min(lastAt &+ debounce, firstAt &+ maxDelay)
    }

    mutating func takeIfDue(at now: UInt64) -> WatchBatch? {
        guard let deadline, now >= deadline else { return nil }
        defer { pending = nil }
        return pending
    }
}
