/// One check instance's aggregation state across runs: each run's samples are committed at
/// the end of the run (the Agent's `sender.Commit()`), producing that run's series. Rate,
/// monotonic count and historate contexts remember the previous run.
public struct CheckAggregator: Sendable {
    private var contexts: [ContextKey: ContextMetric] = [:]
    /// A stateful context not sampled for this many flushes is forgotten.
    static let idleFlushLimit = 100

    private struct ContextKey: Hashable {
        let context: SampleContext
        let type: MetricType
    }

    public init() {}

    /// Adds a run's samples and flushes. `time` is the run's timestamp in epoch seconds.
    ///
    /// Stateless types (gauge, count, counter, histogram) are aggregated in a list local to
    /// the run, with a linear context match: runs submit tens of samples, and hashing every
    /// context into a map only to remove it again was most of a run's cost. Rate, monotonic
    /// count and historate contexts live in the map between runs.
    public mutating func commit(_ samples: [MetricSample], defaultHost: String, at time: Double) -> [Series] {
        var local: [(context: SampleContext, metric: ContextMetric)] = []
        for sample in samples where sample.value.isFinite {
            let context = SampleContext(sample, defaultHost: defaultHost)
            let at = sample.timestamp ?? time
            switch sample.type {
            case .rate, .monotonicCount, .historate:
                contexts[ContextKey(context: context, type: sample.type), default: ContextMetric(type: sample.type)].add(sample, at: at)
            case .gauge, .count, .counter, .histogram:
                if let index = local.firstIndex(where: { $0.metric.type == sample.type && $0.context == context }) {
                    local[index].metric.add(sample, at: at)
                } else {
                    var metric = ContextMetric(type: sample.type)
                    metric.add(sample, at: at)
                    local.append((context, metric))
                }
            }
        }
        var series: [Series] = []
        series.reserveCapacity(local.count + contexts.count)
        for index in local.indices {
            let context = local[index].context
            for flushed in local[index].metric.flush() {
                series.append(Series(metric: context.name + flushed.suffix, type: flushed.type, value: flushed.value,
                                     tags: context.tags, host: context.host, timestamp: time))
            }
        }
        for key in contexts.keys {
            for flushed in contexts[key]!.flush() {
                series.append(Series(metric: key.context.name + flushed.suffix, type: flushed.type, value: flushed.value,
                                     tags: key.context.tags, host: key.context.host, timestamp: time))
            }
            if contexts[key]!.idleFlushes > Self.idleFlushLimit { contexts[key] = nil }
        }
        return series
    }

    /// Contexts with state carried between runs.
    public var contextCount: Int { contexts.count }
}
