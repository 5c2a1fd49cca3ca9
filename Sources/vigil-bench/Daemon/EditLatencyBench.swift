import ArgumentParser
import Foundation
import TestSupport

/// `vigil-bench edit-latency`: a config edit → the new instance's first run started, with
/// `vigil run`'s default settings (debounce 100 ms), measured from the daemon's own record of
/// the run's start (`last_run_at` in /status).
struct EditLatencyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit-latency",
        abstract: "Config edit → new instance's first run, against the release vigil binary.")

    @Option(help: "Edits to time.")
    var edits = 200

    func run() async throws {
        let daemon = try await DaemonProcess.start(testDefaults: false) { dir in
            try dir.write("conf.d/uptime.yaml", "instances: [{tags: [edit:0], min_collection_interval: 60}]\n")
        }
        _ = try await daemon.waitFor { ($0["checks"] as? [[String: Any]])?.count == 1 }
        var samples: [Double] = []
        for edit in 1...edits {
            let previous = try daemon.checks().first?["id"] as? String
            let written = Date().timeIntervalSince1970
            try daemon.dir.write("conf.d/uptime.yaml", "instances: [{tags: [edit:\(edit)], min_collection_interval: 60}]\n")
            let status = try await daemon.waitFor(timeout: 10) { status in
                guard let check = (status["checks"] as? [[String: Any]])?.first else { return false }
                return check["id"] as? String != previous && check["last_run_at"] is Double
            }
            guard let started = (status["checks"] as? [[String: Any]])?.first?["last_run_at"] as? Double else {
                throw ValidationError("edit \(edit) was not applied within 10 s")
            }
            samples.append(started - written)
        }
        _ = await daemon.terminate()
        let sorted = samples.sorted()
        func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
        print("| edits | p50 | p99 | max | debounce (the floor) |")
        print("|---|---|---|---|---|")
        print("| \(edits) | \(ms(BenchClock.percentile(sorted, 0.5))) | \(ms(BenchClock.percentile(sorted, 0.99))) | \(ms(sorted.last ?? 0)) | 100 ms |")
    }
}
