import Foundation
import TestSupport
import Testing

/// `vigil check NAME`, run as the real binary: what it prints, its JSON contract, exit codes.
@Suite struct CheckCommandTests {
    static func vigil(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(Repository.vigilBinary, arguments)
    }

    @Test func runsEveryInstanceAndPrintsTheStatsBlock() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/uptime.yaml", "instances:\n  - {tags: [a:1]}\n  - {tags: [b:2], name: second}\n")
        let result = try Self.vigil(["check", "uptime", "--conf-dir", dir.file("conf.d")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Multiple check instances found, running each of them"))
        #expect(result.stdout.contains("system.uptime gauge"))
        #expect(result.stdout.contains("[a:1]") && result.stdout.contains("[b:2]"))
        #expect(result.stdout.contains("Instance ID: uptime:second:"))
        #expect(result.stdout.contains("Total Runs: 1"))
        #expect(result.stdout.contains("Configuration Source: file:\(dir.file("conf.d/uptime.yaml"))[1]"))
    }

    @Test func jsonContract() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/probe.yaml", "instances:\n  - {command: [/bin/sh, -c, 'echo \"WARN weird|v=3;1;2\"; exit 1'], tags: [t:x]}\n")
        let result = try Self.vigil(["check", "probe", "--conf-dir", dir.file("conf.d"), "--json", "--times", "2", "--pause", "10"])
        #expect(result.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let series = try #require(report["series"] as? [[String: Any]])
        #expect(series.count == 2)
        #expect(series.first?["metric"] as? String == "probe.v")
        #expect(series.first?["type"] as? String == "gauge")
        #expect(series.first?["value"] as? Double == 3)
        #expect(series.first?["tags"] as? [String] == ["t:x"])
        #expect(series.first?["host"] is String)
        let check = try #require((report["service_checks"] as? [[String: Any]])?.first)
        #expect(check["check"] as? String == "probe.status" && check["status"] as? Int == 1 && check["message"] as? String == "WARN weird")
        #expect(report["events"] is [Any])
        let instance = try #require((report["instances"] as? [[String: Any]])?.first)
        for key in ["id", "check", "loader", "state", "source", "digest", "interval_s", "total_runs", "total_errors", "total_warnings",
                    "skipped_runs", "last_error", "last_run_at", "last_success_at", "avg_execution_ms", "metric_samples_last",
                    "metric_samples_total", "loader_errors"] {
            #expect(instance[key] != nil, "missing \(key)")
        }
        #expect(instance["total_runs"] as? Int == 2)
    }

    @Test func aFailedRunOrLoadExitsOne() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/hang.yaml", "instances:\n  - {command: [/bin/sleep, '30'], timeout: 1}\n")
        let hung = try Self.vigil(["check", "hang", "--conf-dir", dir.file("conf.d")])
        #expect(hung.status == 1)
        #expect(hung.stdout.contains("Error: /bin/sleep timed out after 1 s"))

        try dir.write("conf.d/redisdb.yaml", "instances:\n  - {host: x}\n")
        let unloadable = try Self.vigil(["check", "redisdb", "--conf-dir", dir.file("conf.d")])
        #expect(unloadable.status == 1)
        #expect(unloadable.stdout.contains("Loader error (native): no native check named 'redisdb'"))

        let missing = try Self.vigil(["check", "nothing", "--conf-dir", dir.file("conf.d")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no config for check 'nothing'"))
    }

    @Test func ratesNeedTwoRunsAndSaySo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/memory.yaml", "instances: [{}]\n")
        let once = try Self.vigil(["check", "memory", "--conf-dir", dir.file("conf.d")])
        #expect(once.stdout.contains("rates and monotonic counts need two runs"))
        let twice = try Self.vigil(["check", "memory", "--conf-dir", dir.file("conf.d"), "--times", "2", "--pause", "50"])
        #expect(!twice.stdout.contains("need two runs"))
        #expect(twice.stdout.contains("system.swap.swap_in gauge"))
    }
}
