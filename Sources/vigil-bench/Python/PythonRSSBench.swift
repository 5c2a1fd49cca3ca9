import ArgumentParser
import Foundation
import Runtime
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `vigil-bench python-rss`: the resident memory of the release `vigil run` with N Python
/// instances loaded and run at least once, against the venv's interpreter that has only
/// imported `datadog_checks.base`, measured in the same run.
struct PythonRSSBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "python-rss",
        abstract: "RSS of vigil run with many Python instances vs python importing datadog_checks.base.")

    @Option(help: "Python instances.")
    var instances = 200

    @Option(help: "The venv (default: the repository's .venv).")
    var venv = PythonConfiguration.defaultVenv()

    func run() async throws {
        let checksDir = NSTemporaryDirectory() + "vigil-bench-rss-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: checksDir) }
        try BenchChecks.write(to: checksDir)
        // Baselines: the interpreter with checks base imported, and the same interpreter with
        // the same N instances constructed and run once against the stub aggregator.
        let importOnly = try pythonRSS(["-c", "from datadog_checks.base import AgentCheck\n" + Self.printRSS])
        let sameWork = try pythonRSS(["-c", """
            import sys
            sys.path.insert(0, '\(checksDir)')
            from datadog_checks.base.stubs import aggregator
            from ten_gauges import TenGauges
            checks = [TenGauges('ten_gauges', {}, [{'tags': ['i:%d' % i]}]) for i in range(\(instances))]
            for check in checks:
                check.run()
            aggregator.reset()

            """ + Self.printRSS])
        let daemon = try await DaemonProcess.start(extraArguments: ["--python-venv", venv], testDefaults: false) { dir in
            try BenchChecks.write(to: dir.file("checks.d"))
            // Spread over files of 10 instances, as a conf.d of many integrations would be.
            for file in 0..<(instances + 9) / 10 {
                var text = "init_config:\ninstances:\n"
                for index in (file * 10)..<min(instances, file * 10 + 10) {
                    text += "  - {tags: ['i:\(index)'], min_collection_interval: 15}\n"
                }
                _ = try dir.write("conf.d/ten_gauges.d/conf\(file).yaml", text)
            }
        }
        let pid = daemon.process.processIdentifier
        let status = try await daemon.waitFor(timeout: 120) { status in
            let checks = status["checks"] as? [[String: Any]] ?? []
            return checks.count == instances && checks.allSatisfy { ($0["total_runs"] as? Int ?? 0) >= 1 }
        }
        let checks = status["checks"] as? [[String: Any]] ?? []
        guard checks.count == instances else {
            throw ValidationError("only \(checks.count) of \(instances) instances running:\n\(daemon.logLines.suffix(20).joined(separator: "\n"))")
        }
        let failing = checks.filter { ($0["last_error"] as? String) != nil }.count
        try await Task.sleep(for: .seconds(2))
        let rss = residentKiB(pid)
        _ = await daemon.terminate()
        print("| process | Python instances | RSS | vs python with the same instances |")
        print("|---|---|---|---|")
        print(String(format: "| python, `from datadog_checks.base import AgentCheck` | 0 | %.1f MB | %.2f× |", importOnly / 1000,
                     importOnly / sameWork))
        print(String(format: "| python, the same instances built and run once (stub aggregator) | %d | %.1f MB | 1.00× |", instances,
                     sameWork / 1000))
        print(String(format: "| vigil run (release), every instance run once%@ | %d | %.1f MB | %.2f× |",
                     failing > 0 ? ", \(failing) failing" : "", instances, rss * 1.024 / 1000, rss * 1.024 / sameWork))
    }

    private static let printRSS = "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS:')][0])\n"

    /// The venv's python running `arguments`, which print their VmRSS in KiB; kB (10^3 bytes).
    private func pythonRSS(_ arguments: [String]) throws -> Double {
        var environment = ProcessInfo.processInfo.environment
        environment["DDEV_SKIP_GENERIC_TAGS_CHECK"] = "true"
        let result = try runProcess(venv + "/bin/python", arguments, environment: environment)
        guard result.status == 0, let kib = Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ValidationError("python baseline failed: \(result.stderr)")
        }
        return kib * 1.024
    }

    private func residentKiB(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
}
