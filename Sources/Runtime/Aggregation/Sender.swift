import Foundation
import Synchronization

/// Collects what a check submits during one run. Thread-safe: a Python check's callbacks and
/// a native check's helpers may submit from any thread.
public final class Sender: Sendable {
    public let policy: SenderPolicy
    private let state = Mutex(RunSubmissions())

    public init(policy: SenderPolicy) {
        self.policy = policy
    }

    public func submit(_ sample: MetricSample) {
        var sample = sample
        if sample.timestamp == nil { sample.timestamp = Date().timeIntervalSince1970 }
        sample.tags = policy.tags(sample.tags)
        sample.host = policy.host(sample.host)
        state.withLock { $0.metrics.append(sample) }
    }

    public func gauge(_ name: String, _ value: Double, tags: [String] = [], host: String? = nil) {
        submit(MetricSample(name: name, type: .gauge, value: value, tags: tags, host: host))
    }

    public func monotonicCount(_ name: String, _ value: Double, tags: [String] = [], host: String? = nil) {
        submit(MetricSample(name: name, type: .monotonicCount, value: value, tags: tags, host: host))
    }

    public func serviceCheck(_ name: String, _ status: ServiceCheckStatus, tags: [String] = [], host: String? = nil, message: String = "") {
        let check = ServiceCheck(name: name, status: status, tags: policy.tags(tags), host: policy.host(host), message: message)
        state.withLock { $0.serviceChecks.append(check) }
    }

    public func event(_ event: CheckEvent) {
        var event = event
        event.tags = policy.tags(event.tags)
        event.host = policy.host(event.host)
        state.withLock { $0.events.append(event) }
    }

    public func histogramBucket(_ bucket: HistogramBucket) {
        var bucket = bucket
        bucket.tags = policy.tags(bucket.tags)
        bucket.host = policy.host(bucket.host)
        state.withLock { $0.histogramBuckets.append(bucket) }
    }

    public func platformEvent(_ event: PlatformEvent) {
        state.withLock { $0.platformEvents.append(event) }
    }

    /// A warning: the run succeeds, and the instance shows WARNING in status.
    public func warning(_ message: String) {
        state.withLock { $0.warnings.append(message) }
    }

    /// Everything submitted so far; the sender starts empty again.
    public func take() -> RunSubmissions {
        state.withLock { current in
            defer { current = RunSubmissions() }
            return current
        }
    }
}

/// What one run submitted.
public struct RunSubmissions: Sendable {
    public var metrics: [MetricSample] = []
    public var serviceChecks: [ServiceCheck] = []
    public var events: [CheckEvent] = []
    public var histogramBuckets: [HistogramBucket] = []
    public var platformEvents: [PlatformEvent] = []
    public var warnings: [String] = []

    public init() {}
}
