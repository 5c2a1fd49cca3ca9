/// One context's accumulator for one flush, with the Agent's semantics per type
/// (pkg/metrics/model: gauge, count, counter, rate, monotonic_count, histogram, historate).
struct ContextMetric {
    let type: MetricType
    private var value = 0.0
    private var sampled = false
    // rate
    private var sample = 0.0, timestamp = 0.0, previousSample = 0.0, previousTimestamp = 0.0
    // monotonic_count
    private var current = 0.0, hasPrevious = false, flushFirst = false
    // histogram / historate
    private var histogram = HistogramSamples()
    /// Flushes without a sample, to expire idle stateful contexts.
    private(set) var idleFlushes = 0

    init(type: MetricType) {
        self.type = type
    }

    var isStateful: Bool { type == .rate || type == .monotonicCount || type == .historate }

    mutating func add(_ sample: MetricSample, at time: Double) {
        switch type {
        case .gauge:
            value = sample.value
        case .count, .counter:
            value += sample.value
        case .rate:
            if timestamp != 0 { (previousSample, previousTimestamp) = (self.sample, timestamp) }
            (self.sample, timestamp) = (sample.value, time)
        case .monotonicCount:
            if !sampled {
                current = sample.value
            } else {
                previousSample = current
                current = sample.value
                hasPrevious = true
            }
            flushFirst = sample.flushFirstValue
            let difference = current - previousSample
            if (hasPrevious || flushFirst) && difference >= 0 {
                value += difference
            } else if flushFirst {
                value = current
            }
        case .histogram:
            histogram.add(sample.value)
        case .historate:
            if previousTimestamp != 0, time != previousTimestamp {
                histogram.add((sample.value - previousSample) / (time - previousTimestamp))
            }
            (previousSample, previousTimestamp) = (sample.value, time)
        }
        sampled = true
    }

    /// The series of this flush as (name suffix, type, value); resets per the type's rules.
    mutating func flush() -> [(suffix: String, type: SeriesType, value: Double)] {
        defer { if !sampled { idleFlushes += 1 } else { idleFlushes = 0 } }
        switch type {
        case .gauge:
            defer { sampled = false }
            return sampled ? [("", .gauge, value)] : []
        case .count:
            defer { (value, sampled) = (0, false) }
            return sampled ? [("", .count, value)] : []
        case .counter:
            // The sum over the check's sampling interval, which is 1 for checks.
            defer { (value, sampled) = (0, false) }
            return sampled ? [("", .rate, value)] : []
        case .rate:
            defer { sampled = false }
            guard previousTimestamp != 0, timestamp != 0, timestamp != previousTimestamp else { return [] }
            let rate = (sample - previousSample) / (timestamp - previousTimestamp)
            (previousSample, previousTimestamp, sample, timestamp) = (sample, timestamp, 0, 0)
            // A negative rate means the counter was reset: dropped, as the Agent does.
            return rate < 0 ? [] : [("", .gauge, rate)]
        case .monotonicCount:
            guard sampled, hasPrevious || flushFirst else { return [] }
            let total = value
            (previousSample, current, value) = (current, 0, 0)
            (hasPrevious, sampled, flushFirst) = (true, false, false)
            return [("", .count, total)]
        case .histogram:
            defer { sampled = false }
            return histogram.flush()
        case .historate:
            defer { (previousSample, previousTimestamp, sampled) = (0, 0, false) }
            return histogram.flush()
        }
    }
}
