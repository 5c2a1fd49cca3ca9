import Foundation

/// One instance's block in the Datadog Agent's `agent status` collector section, shared by
/// `vigil check` (from an in-process run) and `vigil status` (from the daemon's `/status`).
struct InstanceBlock {
    var id: String
    var source: String
    var totalRuns: Int
    var metricSamplesLast: Int
    var metricSamplesTotal: Int
    var eventsLast: Int
    var eventsTotal: Int
    var serviceChecksLast: Int
    var serviceChecksTotal: Int
    var averageExecutionMs: Double?
    var lastExecutionMs: Double?
    /// Epoch seconds.
    var lastRunAt: Double?
    var lastSuccessAt: Double?
    var lastError: String?
    var lastErrorTraceback: String?
    var loaderErrors: [String: String]
    var warnings: [String]

    /// `ERROR` when the last run failed or no loader could load it, `WARNING` when the last run
    /// warned, else `OK`.
    var state: String {
        if lastError != nil || !loaderErrors.isEmpty { return "ERROR" }
        return warnings.isEmpty ? "OK" : "WARNING"
    }

    /// The block's lines, each prefixed with `indent`; `loaderErrorLines: false` leaves the
    /// loader errors to a section of their own.
    func text(indent: String = "  ", loaderErrorLines: Bool = true) -> String {
        var lines = ["Instance ID: \(id) [\(state)]", "Configuration Source: file:\(source)", "Total Runs: \(totalRuns)"]
        lines.append("Metric Samples: Last Run: \(metricSamplesLast), Total: \(metricSamplesTotal)")
        lines.append("Events: Last Run: \(eventsLast), Total: \(eventsTotal)")
        lines.append("Service Checks: Last Run: \(serviceChecksLast), Total: \(serviceChecksTotal)")
        if let average = averageExecutionMs { lines.append("Average Execution Time : \(Self.milliseconds(average))") }
        if let last = lastExecutionMs { lines.append("Last Execution Time : \(Self.milliseconds(last))") }
        if let last = lastRunAt { lines.append("Last Execution Date : \(Self.date(last))") }
        lines.append("Last Successful Execution Date : \(lastSuccessAt.map(Self.date) ?? "Never")")
        if let lastError {
            lines.append("Error: \(lastError)")
            if let traceback = lastErrorTraceback {
                let trimmed = traceback.reversed().drop { $0 == "\n" }.reversed()
                lines += String(trimmed).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            } else {
                lines.append("No traceback")
            }
        }
        for (loader, message) in loaderErrors.sorted(by: { $0.key < $1.key }) where loaderErrorLines {
            lines += Self.labelled("Loader error (\(loader)): ", message)
        }
        for warning in warnings { lines += Self.labelled("Warning: ", warning) }
        return lines.map { indent + $0 + "\n" }.joined()
    }

    /// `label` and the first line of `text`; its further lines (a traceback) indented under it.
    static func labelled(_ label: String, _ text: String) -> [String] {
        let trimmed = String(text.reversed().drop { $0 == "\n" }.reversed())
        let parts = trimmed.split(separator: "\n", omittingEmptySubsequences: false)
        return [label + (parts.first.map(String.init) ?? "")] + parts.dropFirst().map { "    " + $0 }
    }

    static func milliseconds(_ value: Double) -> String { "\(Int(value.rounded()))ms" }

    /// ISO 8601 in UTC, then the epoch in milliseconds, as `agent status` prints dates.
    static func date(_ epoch: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return "\(formatter.string(from: Date(timeIntervalSince1970: epoch))) (\(Int64(epoch * 1000)))"
    }
}
