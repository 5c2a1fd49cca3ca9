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
    public mutating func commit(_ samples: [MetricSample], defaultHost: String, at time: Double) -> [Series] {
        for sample in samples where sample.value.isFinite {
            let key = ContextKey(context: SampleContext(sample, defaultHost: defaultHost), type: sample.type)
            contexts[key, default: ContextMetric(type: sample.type)].add(sample, at: sample.timestamp ?? time)
        }
        var series: [Series] = []
        for key in contexts.keys {
            for flushed in contexts[key]!.flush() {
                series.append(Series(metric: key.context.name + flushed.suffix, type: flushed.type, value: flushed.value,
                                     tags: key.context.tags, host: key.context.host, timestamp: time))
            }
            // Stateless contexts start afresh every run; stateful ones are kept until idle.
            let metric = contexts[key]!
            if !metric.isStateful || metric.idleFlushes > Self.idleFlushLimit { contexts[key] = nil }
        }
        return series.sorted { ($0.metric, $0.tags.joined(separator: ",")) < ($1.metric, $1.tags.joined(separator: ",")) }
    }

    /// Contexts with state carried between runs.
    public var contextCount: Int { contexts.count }
}
