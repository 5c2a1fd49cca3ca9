import ArgumentParser
import Foundation
import TestSupport

/// `vigil-bench idle-cpu`: the CPU `vigil run` uses with 1,000 instances at 15 s (uptime,
/// load and memory checks) over 60 s, from /proc/PID/stat, after the first runs have settled.
struct IdleCPUBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle-cpu",
        abstract: "CPU of the release daemon running many instances at 15 s.")

    @Option(help: "Instances.")
    var instances = 1000

    @Option(help: "Measured seconds.")
    var seconds = 60

    func run() async throws {
        let daemon = try await DaemonProcess.start(testDefaults: false) { dir in
            var text = "instances:\n"
            for index in 0..<instances { text += "  - {tags: [i:\(index)], min_collection_interval: 15}\n" }
            for check in ["uptime", "load", "memory"] {
                try dir.write("conf.d/\(check).yaml", text.replacingOccurrences(of: "i:", with: "\(check):").split(separator: "\n")
                    .prefix(1 + (check == "uptime" ? instances - 2 * (instances / 3) : instances / 3)).joined(separator: "\n") + "\n")
            }
        }
        let pid = daemon.process.processIdentifier
        _ = try await daemon.waitFor { ($0["checks"] as? [[String: Any]])?.count == instances }
        try await Task.sleep(for: .seconds(20))  // every instance has run at least once
        // /status is read outside the measured window: building it is work of its own.
        let runsBefore = totalRuns(try daemon.checks())
        let before = cpuSeconds(pid)
        try await Task.sleep(for: .seconds(seconds))
        let cpu = cpuSeconds(pid) - before
        let runs = totalRuns(try daemon.checks()) - runsBefore
        let rss = residentMiB(pid)
        _ = await daemon.terminate()
        print("| instances | interval | measured | runs in the window | CPU | share of a core | RSS |")
        print("|---|---|---|---|---|---|---|")
        print(String(format: "| %d | 15 s | %d s | %d | %.3f s | %.3f%% | %.1f MiB |", instances, seconds, runs, cpu,
                     cpu / Double(seconds) * 100, rss))
    }

    private func totalRuns(_ checks: [[String: Any]]) -> Int {
        checks.reduce(0) { $0 + ($1["total_runs"] as? Int ?? 0) }
    }

    private func cpuSeconds(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)  // utime, stime
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private func residentMiB(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let pages = Double(text.split(separator: " ")[1]) ?? 0
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
