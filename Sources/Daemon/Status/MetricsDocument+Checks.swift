import Runtime

extension MetricsDocument {
    /// Labels Vigil sets on check samples; a tag with one of these keys becomes `tag_<key>`.
    static let reservedLabels: Set<String> = ["check_id", "check", "service_check"]

    /// Every instance's latest series, one gauge family per metric name, and its service
    /// checks as `vigil_service_check_status`.
    ///
    /// Every series is a gauge: what an instance flushed last is a value at a point in time
    /// (a Datadog `count` or `rate` is per flush, not a running total), so `counter` would be
    /// a lie. A metric whose sanitised name clashes with a Vigil family is left out; two
    /// series of one instance with the same name and labels (a check submitting for two
    /// hosts) appear once, the first.
    static func writeChecks(_ snapshots: [InstanceSnapshot], into writer: inout OpenMetricsWriter) {
        var families: [String: [OpenMetricsWriter.Sample]] = [:]
        var seen: Set<String> = []
        for snapshot in snapshots {
            let instance = instanceLabels(snapshot)
            for series in snapshot.latestSeries {
                let name = OpenMetrics.metricName(series.metric)
                let labels = instance + OpenMetrics.labels(fromTags: series.tags, reserved: reservedLabels)
                guard seen.insert(key(name, labels)).inserted else { continue }
                families[name, default: []].append(.init(labels: labels, value: series.value))
            }
        }
        var statuses: [OpenMetricsWriter.Sample] = []
        for snapshot in snapshots {
            let instance = instanceLabels(snapshot)
            for check in snapshot.latestServiceChecks {
                var labels = instance
                labels.append((name: "service_check", value: check.name))
                labels += OpenMetrics.labels(fromTags: check.tags, reserved: reservedLabels)
                guard seen.insert(key("vigil_service_check_status", labels)).inserted else { continue }
                statuses.append(.init(labels: labels, value: Double(check.status.rawValue)))
            }
        }
        writer.family("vigil_service_check_status", .gauge,
                      help: "Latest service check status per instance: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                      samples: statuses)
        for name in families.keys.sorted() {
            writer.family(name, .gauge, samples: families[name]!)
        }
    }

    private static func key(_ name: String, _ labels: OpenMetricsWriter.Labels) -> String {
        name + "{" + labels.map { "\($0.name)=\"\(OpenMetrics.escape($0.value))\"" }.joined(separator: ",") + "}"
    }
}
