import Daemon
import Foundation
import Runtime

/// How `vigil check` prints its results.
enum CheckReport {
    static func json(_ outcomes: [CheckTrial.Outcome]) -> String {
        let document: JSONValue = .object([
            "series": .array(outcomes.flatMap(\.series).map { series in
                .object(["metric": .string(series.metric), "type": .string(series.type.rawValue), "value": .double(series.value),
                         "tags": .strings(series.tags), "host": .string(series.host)])
            }),
            "service_checks": .array(outcomes.flatMap(\.serviceChecks).map { check in
                .object(["check": .string(check.name), "status": .int(check.status.rawValue), "tags": .strings(check.tags),
                         "message": .string(check.message), "host": .string(check.host)])
            }),
            "events": .array(outcomes.flatMap(\.events).map { event in
                .object(["title": .string(event.title), "text": .string(event.text), "tags": .strings(event.tags),
                         "host": .string(event.host), "alert_type": .optional(event.alertType), "timestamp": .int(Int(event.timestamp))])
            }),
            "instances": .array(outcomes.map { StatusDocument.check($0.snapshot, sourceState: "ok", retries: 0) }),
        ])
        return document.serialized(pretty: true) + "\n"
    }

    static func text(_ outcomes: [CheckTrial.Outcome]) -> String {
        var out = ""
        for outcome in outcomes {
            let spec = outcome.snapshot.spec
            out += "=== \(spec.id) (\(outcome.snapshot.loader ?? "not loaded")) ===\n"
            out += "Series:\n"
            if outcome.series.isEmpty { out += "  (none)\n" }
            for series in outcome.series {
                out += "  \(series.metric) \(series.type.rawValue) \(format(series.value)) [\(series.tags.joined(separator: ", "))] host=\(series.host)\n"
            }
            out += "Service checks:\n"
            if outcome.serviceChecks.isEmpty { out += "  (none)\n" }
            for check in outcome.serviceChecks {
                out += "  \(check.name) \(check.status.name) [\(check.tags.joined(separator: ", "))]\(check.message.isEmpty ? "" : " \(check.message)")\n"
            }
            out += "Events:\n"
            if outcome.events.isEmpty { out += "  (none)\n" }
            for event in outcome.events { out += "  \(event.title): \(event.text)\n" }
            out += "\n" + block(outcome.snapshot)
            if outcome.needsSecondRun {
                out += "  Note: rates and monotonic counts need two runs to report a value; try --times 2\n"
            }
            out += "\n"
        }
        return out
    }

    /// The instance block of `agent status` / `agent check` (shared with `vigil status`).
    static func block(_ snapshot: InstanceSnapshot) -> String {
        let stats = snapshot.stats
        return InstanceBlock(
            id: snapshot.spec.id.rawValue, source: snapshot.spec.source.description, totalRuns: stats.totalRuns,
            metricSamplesLast: stats.metricSamplesLast, metricSamplesTotal: stats.metricSamplesTotal,
            eventsLast: stats.eventsLast, eventsTotal: stats.eventsTotal,
            serviceChecksLast: stats.serviceChecksLast, serviceChecksTotal: stats.serviceChecksTotal,
            averageExecutionMs: stats.averageExecutionMs, lastExecutionMs: stats.lastExecutionMs,
            lastRunAt: stats.lastRunAt, lastSuccessAt: stats.lastSuccessAt,
            lastError: stats.lastError?.message, lastErrorTraceback: stats.lastError?.traceback,
            loaderErrors: snapshot.loaderErrors, warnings: stats.lastWarnings
        ).text()
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
