public import VigilConfig

/// The reconciler's state for status pages, `/readyz` and metrics.
public struct ReconcilerStatus: Sendable {
    /// The first full pass has been applied: every instance is loaded or has a recorded error.
    public var ready = false
    public var passes = 0
    public var lastPass: PassSummary?
    /// Every pass's duration in seconds since start-up, bucketed for a histogram.
    public var passDurations = DurationHistogram()
    /// How many config files are known, and how many are not valid (degraded or invalid).
    public var fileCount = 0
    public var problemFiles: [ConfigFileStatus] = []
    public var missingRoots: [String: String] = [:]
    public var desiredInstances = 0
    /// Instances waiting for a load retry, with the number of failures so far.
    public var retrying: [CheckID: Int] = [:]
    /// Seconds between two successive ticks of the loop (for the watchdog), if any.
    public var lastTick: ContinuousClock.Instant?

    public init() {}
}

/// Cumulative buckets of pass durations (seconds), OpenMetrics-style.
public struct DurationHistogram: Sendable, Equatable {
    public static let bounds: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
    public private(set) var counts: [Int] = Array(repeating: 0, count: DurationHistogram.bounds.count)
    public private(set) var count = 0
    public private(set) var sum = 0.0

    public init() {}

    mutating func record(_ seconds: Double) {
        count += 1
        sum += seconds
        for (index, bound) in Self.bounds.enumerated() where seconds <= bound { counts[index] += 1 }
    }
}
