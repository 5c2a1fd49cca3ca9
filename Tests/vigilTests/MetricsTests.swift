@testable import Daemon
import Foundation
import StatusServer
import TestSupport
import Testing
@testable import vigil

/// `/metrics`: the OpenMetrics helpers as tables, and the body of a real daemon running
/// native, exec and Python checks, parsed by prometheus_client's OpenMetrics parser.
@Suite struct MetricsTests {
    // MARK: - Names, labels, values

    @Test(arguments: [
        ("system.uptime", "system_uptime"),
        ("dash-check.my-metric", "dash_check_my_metric"),
        ("ns:sub.metric", "ns:sub_metric"),
        ("9lives", "_9lives"),
        ("", "_"),
        ("caf\u{E9}.temp", "caf__temp"),
        ("a b/c", "a_b_c"),
    ])
    func metricNamesAreSanitised(input: String, expected: String) {
        #expect(OpenMetrics.metricName(input) == expected)
    }

    @Test(arguments: [
        ("env", "env"),
        ("kube:ns", "kube_ns"),
        ("my-key", "my_key"),
        ("1st", "_1st"),
        ("", "_"),
    ])
    func labelNamesAreSanitised(input: String, expected: String) {
        #expect(OpenMetrics.labelName(input) == expected)
    }

    @Test(arguments: [
        ("plain", "plain"),
        (#"say "hi""#, #"say \"hi\""#),
        (#"C:\dir"#, #"C:\\dir"#),
        ("two\nlines", #"two\nlines"#),
        ("caf\u{E9}", "caf\u{E9}"),
    ])
    func labelValuesAreEscaped(input: String, expected: String) {
        #expect(OpenMetrics.escape(input) == expected)
    }

    @Test(arguments: [
        (1.0, "1"), (-3.0, "-3"), (0.125, "0.125"), (1e20, "1e+20"), (Double.nan, "NaN"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func valuesUseTheFormatsSpelling(input: Double, expected: String) {
        #expect(OpenMetrics.value(input) == expected)
    }

    @Test func tagsBecomeSortedLabelsWithDuplicatesJoined() {
        let labels = OpenMetrics.labels(
            fromTags: ["env:b", "role:db:primary", "standalone", "env:a", "env:b", "check:mine", "__meta:x", "flag", "flag:on"],
            reserved: MetricsDocument.reservedLabels)
        let pairs = labels.map { "\($0.name)=\($0.value)" }
        #expect(pairs == ["env=a,b", "flag=on", "role=db:primary", "standalone=", "tag___meta=x", "tag_check=mine"])
    }

    @Test func aClashingFamilyIsLeftOut() {
        var writer = OpenMetricsWriter()
        let counter = writer.family("jobs", .counter, samples: [.init(suffix: "_total", value: 1)])
        let clash = writer.family("jobs_total", .gauge, samples: [.init(value: 2)])
        let gauge = writer.family("jobs_running", .gauge, samples: [.init(labels: [("q", "a\"b")], value: 3)])
        #expect(counter && !clash && gauge)
        #expect(writer.finished() == """
            # TYPE jobs counter
            jobs_total 1
            # TYPE jobs_running gauge
            jobs_running{q="a\\"b"} 3
            # EOF

            """)
    }

    // MARK: - A real daemon, a real parser

    static let pythonCheck = """
        from datadog_checks.base import AgentCheck


        class DashCheck(AgentCheck):
            def check(self, instance):
                self.gauge('dash-check.my-metric', 7.5, tags=['q:say "hi"', 'path:C:\\\\dir'])

        """

    /// Parses an exposition with prometheus_client (legacy name rules enforced) and returns
    /// `[{name, type, unit, samples: [{name, labels, value}]}]`, or the parser's error.
    static func parse(_ body: String) throws -> [[String: Any]] {
        let dir = try TemporaryDirectory("vigil-metrics")
        let input = try dir.write("metrics.txt", body)
        let script = """
            import json, math, sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            text = open(sys.argv[1], encoding='utf-8').read()
            out = []
            for family in text_string_to_metric_families(text):
                out.append({'name': family.name, 'type': family.type, 'unit': family.unit,
                            'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in family.samples]})
            print(json.dumps(out))
            """
        var environment = ProcessInfo.processInfo.environment
        environment["PROMETHEUS_LEGACY_NAME_VALIDATION"] = "true"
        let result = try runProcess(Repository.venvPython!, ["-c", script, input], environment: environment)
        try #require(result.status == 0, "parser refused /metrics:\n\(result.stderr)\n\(body)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func family(_ families: [[String: Any]], _ name: String) -> [String: Any]? {
        families.first { $0["name"] as? String == name }
    }

    static func samples(_ family: [String: Any]?) -> [[String: Any]] {
        (family?["samples"] as? [[String: Any]]) ?? []
    }

    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)))
    func aRunningDaemonsMetricsParseAndRoundTrip() async throws {
        let venv = URL(fileURLWithPath: Repository.venvPython!).deletingLastPathComponent().deletingLastPathComponent().path
        let daemon = try await DaemonProcess.start(extraArguments: ["--python-venv", venv]) { dir in
            try dir.write("conf.d/uptime.yaml", #"""
                instances:
                  - tags: ['note:say "hi" \ bye', 'standalone', 'env:b', 'env:a', 'check:mine']
                    min_collection_interval: 1
                """#)
            try dir.write("conf.d/dummy.yaml",
                          "instances:\n  - {command: [/usr/lib/nagios/plugins/check_dummy, '1', 'all is odd'], min_collection_interval: 1}\n")
            try dir.write("conf.d/perf.yaml",
                          "instances:\n  - {command: [/bin/sh, -c, \"echo 'OK | my-ratio=0.125 neg=-3'\"], min_collection_interval: 1}\n")
            try dir.write("checks.d/dash_check.py", Self.pythonCheck)
            try dir.write("conf.d/dash_check.yaml", "instances:\n  - {min_collection_interval: 1}\n")
        }
        let status = try await daemon.waitFor { status in
            let checks = (status["checks"] as? [[String: Any]]) ?? []
            return checks.count == 4 && checks.allSatisfy { ($0["total_runs"] as? Int ?? 0) >= 1 }
        }
        let checks = try #require(status["checks"] as? [[String: Any]])
        func id(_ check: String) -> String { (checks.first { $0["check"] as? String == check }?["id"] as? String) ?? "?" }

        let response = try DaemonClient(address: .init(parsing: daemon.address)).get("/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.hasSuffix("# EOF\n"))
        let families = try Self.parse(body)
        #expect(Set(families.compactMap { $0["name"] as? String }).count == families.count, "one # TYPE per family")

        // A native check's series: tags as labels, quotes and backslash intact, duplicates joined.
        let uptime = try #require(Self.samples(Self.family(families, "system_uptime")).first)
        #expect(Self.family(families, "system_uptime")?["type"] as? String == "gauge")
        let labels = try #require(uptime["labels"] as? [String: String])
        #expect(labels == ["check_id": id("uptime"), "check": "uptime", "note": #"say "hi" \ bye"#, "standalone": "",
                           "env": "a,b", "tag_check": "mine"])

        // Exec perfdata values round-trip exactly.
        let ratio = try #require(Self.samples(Self.family(families, "perf_my_ratio")).first)
        #expect(ratio["value"] as? Double == 0.125)
        #expect((ratio["labels"] as? [String: String])?["check_id"] == id("perf"))
        #expect(Self.samples(Self.family(families, "perf_neg")).first?["value"] as? Double == -3)

        // A Python metric whose name has dashes, and tags with quotes and a backslash.
        let dash = try #require(Self.samples(Self.family(families, "dash_check_my_metric")).first)
        #expect(dash["value"] as? Double == 7.5)
        #expect(dash["labels"] as? [String: String] == ["check_id": id("dash_check"), "check": "dash_check",
                                                          "q": #"say "hi""#, "path": #"C:\dir"#])

        // Service checks: check_dummy's exit status 1 is WARNING.
        let statuses = Self.samples(Self.family(families, "vigil_service_check_status"))
        let dummy = try #require(statuses.first { ($0["labels"] as? [String: String])?["service_check"] == "dummy.status" })
        #expect(dummy["value"] as? Double == 1)
        #expect((dummy["labels"] as? [String: String])?["check_id"] == id("dummy"))

        // Vigil's own families.
        #expect(Self.samples(Self.family(families, "vigil_ready")).first?["value"] as? Double == 1)
        #expect(Self.family(families, "vigil_reconcile_passes")?["type"] as? String == "counter")
        #expect(Self.samples(Self.family(families, "vigil_reconcile_passes")).first?["value"] as? Double ?? 0 >= 1)
        let histogram = try #require(Self.family(families, "vigil_reconcile_pass_duration_seconds"))
        #expect(histogram["type"] as? String == "histogram" && histogram["unit"] as? String == "seconds")
        let inf = Self.samples(histogram).first { ($0["labels"] as? [String: String])?["le"] == "+Inf" }?["value"] as? Double
        let count = Self.samples(histogram).first { $0["name"] as? String == "vigil_reconcile_pass_duration_seconds_count" }?["value"] as? Double
        #expect(inf != nil && inf == count)
        let scheduledOrRunning = Self.samples(Self.family(families, "vigil_instances"))
            .filter { ["scheduled", "running"].contains(($0["labels"] as? [String: String])?["state"]) }
            .reduce(0.0) { $0 + ($1["value"] as? Double ?? 0) }
        #expect(scheduledOrRunning == 4)
        #expect(Self.samples(Self.family(families, "vigil_instances")).count == 5, "every state, zeros included")
        let runs = Self.samples(Self.family(families, "vigil_check_runs"))
        #expect(runs.count == 4 && runs.allSatisfy { ($0["value"] as? Double ?? 0) >= 1 && $0["name"] as? String == "vigil_check_runs_total" })
        #expect(Self.samples(Self.family(families, "vigil_check_errors")).count == 4)
        for name in ["vigil_watcher_events", "vigil_watcher_overflows", "vigil_replaced_workers", "vigil_python_buffer_allocations",
                     "vigil_python_buffer_frees", "vigil_python_buffer_allocated_bytes", "vigil_python_buffer_outstanding_bytes"] {
            #expect(Self.family(families, name) != nil, "missing \(name)")
        }
    }
}
