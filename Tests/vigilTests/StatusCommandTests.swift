import Foundation
import TestSupport
import Testing
@testable import vigil

/// `vigil status`, run as the real binary against a real daemon: the collector section,
/// config errors at their lines, loader errors, `--json`, and a daemon that is not there.
@Suite struct StatusCommandTests {
    /// A multi-line loader error or warning (a traceback) stays under its label.
    @Test func multiLineMessagesAreIndentedUnderTheirLabel() {
        let lines = InstanceBlock.labelled("Loader error (python): ", "Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: boom\n")
        #expect(lines == ["Loader error (python): Traceback (most recent call last):", "      File \"x.py\", line 1", "    ValueError: boom"])
        #expect(InstanceBlock.labelled("Warning: ", "slow disk") == ["Warning: slow disk"])
    }

    static func vigil(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ValidateCommandTests.vigil(arguments, environment: environment)
    }

    @Test func printsEveryInstanceConfigErrorsAndLoaderErrors() async throws {
        let daemon = try await DaemonProcess.start { dir in
            try dir.write("conf.d/uptime.yaml", "instances:\n  - {tags: ['a:1'], min_collection_interval: 1}\n  - {name: second}\n")
            try dir.write("conf.d/killed.yaml", "instances:\n  - {command: [/bin/sh, -c, 'kill -KILL $$'], min_collection_interval: 1}\n")
            try dir.write("conf.d/redisdb.yaml", "instances:\n  - {host: localhost, loader: nosuch}\n")
            try dir.write("conf.d/bad.yaml", "instances:\n  - tags: [a]\n    tags: [b]\n")
        }
        let status = try await daemon.waitFor { status in
            let checks = (status["checks"] as? [[String: Any]]) ?? []
            let ran = checks.filter { ["uptime", "killed"].contains($0["check"] as? String) && ($0["total_runs"] as? Int ?? 0) >= 1 }
            return ran.count == 3 && checks.count == 4
        }
        let checks = try #require(status["checks"] as? [[String: Any]])
        func ids(_ check: String) -> [String] { checks.filter { $0["check"] as? String == check }.compactMap { $0["id"] as? String }.sorted() }
        let uptimes = ids("uptime"), killed = try #require(ids("killed").first), redis = try #require(ids("redisdb").first)

        let result = try Self.vigil(["status", "--address", daemon.address])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("Ready: yes"))
        #expect(out.contains("Collector\n=========\n"))
        #expect(out.contains("\n    uptime\n    ------\n"))
        for id in uptimes { #expect(out.contains("      Instance ID: \(id) [OK]\n"), "\(out)") }
        let uptimePath = daemon.confDir + "/uptime.yaml"
        #expect(out.contains("      Configuration Source: file:\(uptimePath)[0]\n"))
        #expect(out.contains("      Configuration Source: file:\(uptimePath)[1]\n"))
        #expect(out.contains("      Metric Samples: Last Run: 1, Total: "))
        #expect(out.contains("      Average Execution Time : ") && out.contains("      Last Execution Time : "))
        #expect(out.contains("      Last Successful Execution Date : 20"))
        #expect(out.contains("      Instance ID: \(killed) [ERROR]\n"))
        #expect(out.contains("      Error: /bin/sh was killed by signal 9\n"))
        #expect(out.contains("      Last Successful Execution Date : Never\n"))

        let configErrors = try #require(out.range(of: "Config Errors\n=============\n"))
        let loaderErrors = try #require(out.range(of: "Loader Errors\n=============\n"))
        #expect(configErrors.upperBound < loaderErrors.lowerBound)
        let configSection = out[configErrors.upperBound..<loaderErrors.lowerBound]
        let bad = daemon.confDir + "/bad.yaml"
        #expect(configSection.contains("  \(bad) (invalid)\n"))
        #expect(configSection.contains("    \(bad):3:5: ") && configSection.contains("duplicate key 'tags'"))
        let loaderSection = out[loaderErrors.upperBound...]
        #expect(loaderSection.contains("  \(redis) [ERROR]\n  Configuration Source: file:\(daemon.confDir)/redisdb.yaml[0]\n"))
        #expect(loaderSection.contains("    nosuch: pinned loader 'nosuch' does not exist"), "\(loaderSection)")
        #expect(out.contains("      Instance ID: \(redis) [ERROR]\n"))
        #expect(out.contains("state load_error, see Loader Errors)"))

        // --json is the /status document; VIGIL_LISTEN stands in for --address.
        let json = try Self.vigil(["status", "--json"], environment: ["VIGIL_LISTEN": daemon.address])
        #expect(json.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(Set(((document["checks"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }) == Set(uptimes + [killed, redis]))
    }

    @Test func anUnreachableDaemonIsAClearErrorAndExitsOne() throws {
        let result = try Self.vigil(["status", "--address", "127.0.0.1:1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Error: cannot reach the Vigil daemon at 127.0.0.1:1 (is `vigil run` running?"), "\(result.stderr)")
        #expect(result.stderr.contains("Connection refused"))
        let socket = try Self.vigil(["status"], environment: ["VIGIL_LISTEN": "unix:/nonexistent/vigil.sock"])
        #expect(socket.status == 1)
        #expect(socket.stderr.contains("unix:/nonexistent/vigil.sock"))
        let usage = try Self.vigil(["status", "--address", "nonsense"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--address: expected HOST:PORT"))
    }

    // MARK: - Pure pieces

    static func block(error: String? = nil, loaderErrors: [String: String] = [:], warnings: [String] = []) -> InstanceBlock {
        InstanceBlock(id: "uptime:0123456789abcdef", source: "/c/uptime.yaml[0]", totalRuns: 3, metricSamplesLast: 1,
                      metricSamplesTotal: 3, eventsLast: 0, eventsTotal: 0, serviceChecksLast: 0, serviceChecksTotal: 0,
                      averageExecutionMs: 1.6, lastExecutionMs: 2.4, lastRunAt: 0, lastSuccessAt: error == nil ? 0 : nil,
                      lastError: error, lastErrorTraceback: error == nil ? nil : "Traceback:\n  line 1\n",
                      loaderErrors: loaderErrors, warnings: warnings)
    }

    @Test(arguments: [
        (nil, [:], [], "OK"),
        (nil, [:], ["slow disk"], "WARNING"),
        ("boom", [:], [], "ERROR"),
        (nil, ["python": "no module"], [], "ERROR"),
        ("boom", [:], ["slow disk"], "ERROR"),
    ] as [(String?, [String: String], [String], String)])
    func instanceStateFollowsTheAgent(error: String?, loaderErrors: [String: String], warnings: [String], expected: String) {
        #expect(Self.block(error: error, loaderErrors: loaderErrors, warnings: warnings).state == expected)
    }

    @Test func blockLinesMatchAgentStatus() {
        #expect(Self.block(error: "boom").text(indent: "  ") == """
              Instance ID: uptime:0123456789abcdef [ERROR]
              Configuration Source: file:/c/uptime.yaml[0]
              Total Runs: 3
              Metric Samples: Last Run: 1, Total: 3
              Events: Last Run: 0, Total: 0
              Service Checks: Last Run: 0, Total: 0
              Average Execution Time : 2ms
              Last Execution Time : 2ms
              Last Execution Date : 1970-01-01T00:00:00Z (0)
              Last Successful Execution Date : Never
              Error: boom
                Traceback:
                  line 1

            """)
    }

    @Test func httpResponsesAreSplitAtTheHeaders() throws {
        let raw = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nno\nextra".utf8)
        let response = try DaemonClient.parse(raw, from: "test")
        #expect(response.status == 503)
        #expect(response.headers["content-type"] == "text/plain")
        #expect(String(decoding: response.body, as: UTF8.self) == "no\n")
        #expect(throws: DaemonClient.Failure.self) { try DaemonClient.parse(Array("garbage".utf8), from: "test") }
    }
}
