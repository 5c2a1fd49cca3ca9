import Foundation

/// `/metrics` in the OpenMetrics text format (filled out with the status issue).
enum MetricsDocument {
    static func build(daemon: Daemon) -> String {
        let loop = daemon.loop.status
        var out = "# TYPE vigil_ready gauge\nvigil_ready \(loop.ready ? 1 : 0)\n"
        out += "# TYPE vigil_reconcile_passes counter\nvigil_reconcile_passes_total \(loop.passes)\n"
        out += "# EOF\n"
        return out
    }
}
