public import VigilConfig

/// Per-instance retry of load failures with exponential backoff (1 s doubling to a 5 min cap),
/// after client-go's workqueue (WATCHING.md §7): `failed` schedules the next attempt,
/// `forget` resets it (on success, or when the instance's digest changed and its ID left).
/// Times are given, so it is a value that tables can test.
public struct RetryQueue: Sendable {
    public var baseDelay: Duration
    public var maxDelay: Duration
    private var entries: [CheckID: (failures: Int, due: ContinuousClock.Instant)] = [:]

    public init(baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(300)) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Records a failure; returns the delay until the next attempt.
    @discardableResult
    public mutating func failed(_ id: CheckID, at now: ContinuousClock.Instant) -> Duration {
        let failures = (entries[id]?.failures ?? 0) + 1
        let delay = self.delay(afterFailures: failures)
        entries[id] = (failures, now + delay)
        return delay
    }

    public func delay(afterFailures failures: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(failures, 1) {
            delay *= 2
            if delay >= maxDelay { return maxDelay }
        }
        return min(delay, maxDelay)
    }

    /// Every waiting ID is due at `now`; failure counts stay, so a load that fails again
    /// backs off from where it was.
    public mutating func makeAllDue(at now: ContinuousClock.Instant) {
        for id in entries.keys { entries[id]?.due = now }
    }

    public mutating func forget(_ id: CheckID) {
        entries[id] = nil
    }

    /// IDs whose next attempt is due.
    public func due(at now: ContinuousClock.Instant) -> [CheckID] {
        entries.filter { $0.value.due <= now }.map(\.key).sorted()
    }

    public var nextDue: ContinuousClock.Instant? { entries.values.map(\.due).min() }

    public func failures(of id: CheckID) -> Int { entries[id]?.failures ?? 0 }

    /// Every waiting ID with its failure count.
    public var failureCounts: [CheckID: Int] { entries.mapValues(\.failures) }

    public var count: Int { entries.count }
}
