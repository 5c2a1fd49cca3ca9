/// The submission types of the Datadog Agent's check sender (rtloader's constants:
/// GAUGE=0 RATE=1 COUNT=2 MONOTONIC_COUNT=3 COUNTER=4 HISTOGRAM=5 HISTORATE=6).
public enum MetricType: Int, Sendable, Codable, CaseIterable {
    case gauge = 0
    case rate = 1
    case count = 2
    case monotonicCount = 3
    case counter = 4
    case histogram = 5
    case historate = 6

    public var name: String {
        switch self {
        case .gauge: return "gauge"
        case .rate: return "rate"
        case .count: return "count"
        case .monotonicCount: return "monotonic_count"
        case .counter: return "counter"
        case .histogram: return "histogram"
        case .historate: return "historate"
        }
    }
}

/// What a flushed series is sent as: the Agent's API types.
public enum SeriesType: String, Sendable, Codable {
    case gauge, count, rate
}
