import Foundation
import Reconciler
import Runtime
import StatusServer
import VigilConfig
import Watch

/// Builds the HTTP API's answers from the loop's, the runtime's and the watcher's state.
struct DaemonStatusProvider: StatusProvider {
    let daemon: Daemon

    func health() async -> StatusResponse {
        let status = daemon.loop.status
        let limit = max(Double(daemon.options.tickInterval.components.seconds) * 3, 15)
        guard let tick = status.lastTick else {
            return StatusResponse(status: 200, body: "ok: starting\n")
        }
        let age = Double((ContinuousClock.now - tick).components.seconds)
        if age > limit {
            return StatusResponse(status: 503, body: "reconcile loop has not ticked for \(Int(age)) s\n")
        }
        return StatusResponse(status: 200, body: "ok\n")
    }

    func readiness(verbose: Bool) async -> StatusResponse {
        let status = daemon.loop.status
        let ready = status.ready
        guard verbose else {
            return StatusResponse(status: ready ? 200 : 503, body: ready ? "ok\n" : "not ready: first reconcile not done\n")
        }
        let instances = daemon.runner.snapshot()
        let loadErrors = instances.filter { $0.state == .loadError }.count
        let broken = status.problemFiles
        var lines = [ready ? "[+]first reconcile applied" : "[-]first reconcile not done yet"]
        lines.append("[+]\(instances.count) instances, \(loadErrors) with load errors")
        for file in broken {
            let first = file.errors.first.map(\.description) ?? file.path
            lines.append("[!]\(file.state.rawValue): \(first)")
        }
        for root in daemon.watcher.status.roots where root.mode != .inotify {
            lines.append("[!]\(root.path): \(root.mode)")
        }
        lines.append(ready ? "readyz check passed" : "readyz check failed")
        return StatusResponse(status: ready ? 200 : 503, body: lines.joined(separator: "\n") + "\n")
    }

    func status() async -> StatusResponse {
        let document = StatusDocument.build(daemon: daemon, files: await daemon.loop.fileStatuses())
        return StatusResponse(status: 200, contentType: "application/json", body: document.serialized(pretty: true) + "\n")
    }

    func metrics() async -> StatusResponse {
        StatusResponse(status: 200, contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8",
                       body: MetricsDocument.build(daemon: daemon))
    }
}
