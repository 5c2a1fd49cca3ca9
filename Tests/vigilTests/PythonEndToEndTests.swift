import Foundation
import TestSupport
import Testing

/// `vigil run` with Python checks: a custom check in checks.d run by the real binary's
/// embedded interpreter, seen through `/status` and `/metrics`, with its persistent cache
/// surviving a restart of the daemon.
@Suite(.serialized, .enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)))
struct PythonEndToEndTests {
    static var venv: String {
        URL(fileURLWithPath: Repository.venvPython!).deletingLastPathComponent().deletingLastPathComponent().path
    }

    static let customCheck = """
        from datadog_checks.base import AgentCheck

        __version__ = '2.3.4'


        class RunCounter(AgentCheck):
            def check(self, instance):
                runs = int(self.read_persistent_cache('runs') or 0) + 1
                self.write_persistent_cache('runs', str(runs))
                self.gauge('run_counter.runs', runs, tags=instance.get('tags', []))
                self.service_check('run_counter.ok', AgentCheck.OK, tags=instance.get('tags', []))
                self.set_metadata('version', '2.3.4')

        """

    static func counter(_ status: [String: Any]) -> [String: Any]? {
        ((status["checks"] as? [[String: Any]]) ?? []).first { $0["check"] as? String == "run_counter" }
    }

    static func runsGauge(_ check: [String: Any]?) -> Double? {
        ((check?["series"] as? [[String: Any]]) ?? []).first { $0["metric"] as? String == "run_counter.runs" }?["value"] as? Double
    }

    @Test func aCustomCheckRunsAndItsCacheSurvivesARestart() async throws {
        let state = try TemporaryDirectory("vigil-python-state")
        let arguments = ["--python-venv", Self.venv, "--state-dir", state.path]
        let setup: (TemporaryDirectory) throws -> Void = { dir in
            try dir.write("checks.d/run_counter.py", Self.customCheck)
            try dir.write("conf.d/run_counter.yaml", "init_config:\ninstances:\n  - {tags: ['team:core'], min_collection_interval: 1}\n")
        }
        let first = try await DaemonProcess.start(extraArguments: arguments, setup: setup)
        let status = try await first.waitFor { Self.runsGauge(Self.counter($0)) ?? 0 >= 2 }
        let check = try #require(Self.counter(status), "\(first.logLines.suffix(10))")
        #expect(check["loader"] as? String == "python")
        #expect(check["version"] as? String == "2.3.4")
        #expect((check["metadata"] as? [String: Any])?["version.raw"] as? String == "2.3.4")
        #expect(check["last_error"] is NSNull)
        let series = try #require((check["series"] as? [[String: Any]])?.first { $0["metric"] as? String == "run_counter.runs" })
        #expect(series["tags"] as? [String] == ["team:core"], "a Python check's tags are exactly what it sent")
        #expect((check["service_checks"] as? [[String: Any]])?.first?["status_name"] as? String == "OK")
        let bridge = try #require(status["python_bridge"] as? [String: Any])
        #expect(bridge["dropped_submissions"] as? Int == 0)
        let metrics = try first.get("/metrics").body
        let allocations = metrics.split(separator: "\n").first { $0.hasPrefix("vigil_python_buffer_allocations_total ") }
        #expect((allocations?.split(separator: " ").last).flatMap { Int($0) } ?? 0 > 0, "\(metrics.prefix(400))")
        let stopped = await first.terminate()
        #expect(stopped.status == 0)
        let runsBeforeRestart = try #require(Self.runsGauge(check))

        // A new process, the same state directory: the count goes on from where it was.
        let second = try await DaemonProcess.start(extraArguments: arguments, setup: setup)
        let after = try await second.waitFor { Self.counter($0)?["total_runs"] as? Int ?? 0 >= 1 }
        let firstRun = try #require(Self.runsGauge(Self.counter(after)))
        #expect(firstRun > runsBeforeRestart, "the cache held \(runsBeforeRestart) runs; the restarted check counted on to \(firstRun)")
        _ = await second.terminate()
    }

    @Test func aBrokenCustomCheckIsALoadErrorThatDoesNotStopTheOthers() async throws {
        let daemon = try await DaemonProcess.start(extraArguments: ["--python-venv", Self.venv]) { dir in
            try dir.write("checks.d/broken.py", "from datadog_checks.base import AgentCheck\nimport no_such_module_here\n")
            try dir.write("conf.d/broken.yaml", "instances:\n  - {loader: python}\n")
            try dir.write("conf.d/uptime.yaml", "instances:\n  - {min_collection_interval: 1}\n")
        }
        let status = try await daemon.waitFor { status in
            let checks = (status["checks"] as? [[String: Any]]) ?? []
            return checks.contains { $0["check"] as? String == "uptime" && ($0["total_runs"] as? Int ?? 0) >= 1 }
                && checks.contains { $0["check"] as? String == "broken" && $0["state"] as? String == "load_error" }
        }
        let broken = try #require(((status["checks"] as? [[String: Any]]) ?? []).first { $0["check"] as? String == "broken" })
        let error = (broken["loader_errors"] as? [String: Any])?["python"] as? String ?? ""
        #expect(error.contains("no_such_module_here"), "\(error)")
        let stopped = await daemon.terminate()
        #expect(stopped.status == 0)
    }

    /// The check's module arrives in checks.d after its load has failed three times (the next
    /// retry is 4 s away): it is loaded at once, not when the backoff ends.
    @Test func aModuleWrittenToChecksDirEndsTheBackoffOfItsLoad() async throws {
        let daemon = try await DaemonProcess.start(extraArguments: ["--python-venv", Self.venv]) { dir in
            try dir.write("conf.d/late.yaml", "instances:\n  - {loader: python, min_collection_interval: 1}\n")
        }
        func late(_ status: [String: Any]) -> [String: Any]? {
            ((status["checks"] as? [[String: Any]]) ?? []).first { $0["check"] as? String == "late" }
        }
        _ = try await daemon.waitFor(timeout: 15) { (late($0)?["load_retries"] as? Int ?? 0) >= 3 }
        let written = Date()
        try daemon.dir.write("checks.d/late.py", """
            from datadog_checks.base import AgentCheck
            class LateCheck(AgentCheck):
                def check(self, instance):
                    self.gauge("late.ok", 1)
            """)
        let loaded = try await daemon.waitFor(timeout: 10) { (late($0)?["total_runs"] as? Int ?? 0) >= 1 }
        #expect(late(loaded)?["state"] as? String != "load_error")
        #expect(Date().timeIntervalSince(written) < 3, "loaded \(Date().timeIntervalSince(written)) s after the module appeared")
        #expect(await daemon.terminate().status == 0)
    }

    /// What `make run` runs: every example in manifests/ loads (native, python and exec), and
    /// the example Python check runs without an error.
    @Test func theRepositoryExamplesAllLoadAndRun() async throws {
        let daemon = try await DaemonProcess.start(extraArguments: [
            "--python-venv", Self.venv, "--checks-dir", Repository.path("manifests/checks.d"),
        ])
        // Copied in after start-up, so every instance runs at once instead of being spread
        // over its interval.
        let examples = Repository.path("manifests/conf.d")
        let names = try FileManager.default.contentsOfDirectory(atPath: examples)
        for name in names {
            try FileManager.default.copyItem(atPath: examples + "/" + name, toPath: daemon.confDir + "/" + name)
        }
        let checkNames = Set(names.map { String($0.prefix { $0 != "." }) })
        #expect(checkNames.isSuperset(of: ["file_age", "uptime", "load_plugin"]))
        let status = try await daemon.waitFor { status in
            let checks = (status["checks"] as? [[String: Any]]) ?? []
            return Set(checks.compactMap { $0["check"] as? String }) == checkNames && checks.allSatisfy { ($0["total_runs"] as? Int ?? 0) >= 1 || $0["state"] as? String == "load_error" }
        }
        let checks = (status["checks"] as? [[String: Any]]) ?? []
        #expect(checks.allSatisfy { $0["state"] as? String != "load_error" }, "\(checks.map { ($0["check"] ?? "", $0["loader_errors"] ?? "") })")
        let fileAge = try #require(checks.first { $0["check"] as? String == "file_age" })
        #expect(fileAge["loader"] as? String == "python")
        #expect(fileAge["last_error"] is NSNull, "\(fileAge["last_error"] ?? "")")
        #expect((fileAge["service_checks"] as? [[String: Any]])?.first?["status_name"] as? String == "OK")
        #expect(Set(checks.compactMap { $0["loader"] as? String }) == ["native", "python", "exec"])
        _ = await daemon.terminate()
    }
}
