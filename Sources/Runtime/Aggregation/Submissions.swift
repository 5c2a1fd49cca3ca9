/// One metric value a check submitted during a run.
public struct MetricSample: Sendable, Equatable {
    public var name: String
    public var type: MetricType
    public var value: Double
    public var tags: [String]
    /// nil for the default host.
    public var host: String?
    /// Monotonic counts: count the first value as if from 0 (OpenMetrics after its first run).
    public var flushFirstValue: Bool
    /// When it was submitted (epoch seconds); rates and historates divide by these. The
    /// sender sets it; nil means "at the commit".
    public var timestamp: Double?

    public init(name: String, type: MetricType, value: Double, tags: [String] = [], host: String? = nil,
                flushFirstValue: Bool = false, timestamp: Double? = nil) {
        self.name = name
        self.type = type
        self.value = value
        self.tags = tags
        self.host = host
        self.flushFirstValue = flushFirstValue
        self.timestamp = timestamp
    }
}

/// OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3 (datadog_checks.base constants, Nagios exit codes).
public enum ServiceCheckStatus: Int, Sendable, Codable, CaseIterable {
    case ok = 0, warning = 1, critical = 2, unknown = 3

    public var name: String {
        switch self {
        case .ok: return "OK"
        case .warning: return "WARNING"
        case .critical: return "CRITICAL"
        case .unknown: return "UNKNOWN"
        }
    }
}

/// A service check result a check submitted.
public struct ServiceCheck: Sendable, Equatable, Codable {
    public var name: String
    public var status: ServiceCheckStatus
    public var tags: [String]
    public var host: String
    public var message: String
    public var timestamp: Double

    public init(name: String, status: ServiceCheckStatus, tags: [String] = [], host: String = "", message: String = "", timestamp: Double = 0) {
        self.name = name
        self.status = status
        self.tags = tags
        self.host = host
        self.message = message
        self.timestamp = timestamp
    }
}

/// An event a check submitted (the keys of rtloader's `submit_event` dict).
public struct CheckEvent: Sendable, Equatable, Codable {
    public var title: String
    public var text: String
    /// Epoch seconds; 0 means "now".
    public var timestamp: Int64
    public var priority: String?
    public var host: String
    public var alertType: String?
    public var aggregationKey: String?
    public var sourceTypeName: String?
    public var eventType: String?
    public var tags: [String]

    public init(title: String, text: String, timestamp: Int64 = 0, priority: String? = nil, host: String = "",
                alertType: String? = nil, aggregationKey: String? = nil, sourceTypeName: String? = nil,
                eventType: String? = nil, tags: [String] = []) {
        self.title = title
        self.text = text
        self.timestamp = timestamp
        self.priority = priority
        self.host = host
        self.alertType = alertType
        self.aggregationKey = aggregationKey
        self.sourceTypeName = sourceTypeName
        self.eventType = eventType
        self.tags = tags
    }
}

/// One flushed series: what a run produced for one metric context.
public struct Series: Sendable, Equatable, Codable {
    public var metric: String
    public var type: SeriesType
    public var value: Double
    public var tags: [String]
    public var host: String
    public var timestamp: Double
}

/// A histogram bucket a check submitted (OpenMetrics histograms with `collect_histogram_buckets`).
/// Kept as submitted: Vigil does not turn buckets into distributions.
public struct HistogramBucket: Sendable, Equatable, Codable {
    public var name: String
    public var value: Int64
    public var lowerBound: Double
    public var upperBound: Double
    public var monotonic: Bool
    public var host: String
    public var tags: [String]
    public var flushFirstValue: Bool

    public init(name: String, value: Int64, lowerBound: Double, upperBound: Double, monotonic: Bool, host: String = "",
                tags: [String] = [], flushFirstValue: Bool = false) {
        self.name = name
        self.value = value
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.monotonic = monotonic
        self.host = host
        self.tags = tags
        self.flushFirstValue = flushFirstValue
    }
}

/// An event-platform event (database monitoring samples and the like): its type and size.
/// Vigil has no intake for them; they are counted, not kept.
public struct PlatformEvent: Sendable, Equatable, Codable {
    public var eventType: String
    public var bytes: Int

    public init(eventType: String, bytes: Int) {
        self.eventType = eventType
        self.bytes = bytes
    }
}
