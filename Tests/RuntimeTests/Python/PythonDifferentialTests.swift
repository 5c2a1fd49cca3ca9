#if Python
import Foundation
import Testing
@testable import Runtime
import TestSupport
import VigilConfig

/// The same checks run by Vigil and by checks-base's own stub aggregator in plain Python
/// (`datadog_checks.base.stubs.aggregator`, what integrations' unit tests use) must submit the
/// same things: names, types, values, tags, hosts, service checks, events, buckets, warnings.
@Suite(.serialized, .enabled(if: PythonTesting.available, "\(Repository.venvMissing)"))
struct PythonDifferentialTests {
    struct Submission: Codable, Equatable, Comparable, CustomStringConvertible {
        var kind: String
        var text: String
        static func < (a: Self, b: Self) -> Bool { (a.kind, a.text) < (b.kind, b.text) }
        var description: String { "\(kind) \(text)" }
    }

    static func render(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)" }

    /// Vigil's submissions, in a form both sides can produce.
    static func vigil(_ submitted: RunSubmissions) -> [Submission] {
        var out: [Submission] = []
        for m in submitted.metrics {
            out.append(Submission(kind: "metric", text: "\(m.name)|\(m.type.rawValue)|\(render(m.value))|\(m.tags)|\(m.host ?? "")|\(m.flushFirstValue)"))
        }
        for s in submitted.serviceChecks {
            out.append(Submission(kind: "service_check", text: "\(s.name)|\(s.status.rawValue)|\(s.tags)|\(s.host)|\(s.message)"))
        }
        for e in submitted.events {
            out.append(Submission(kind: "event", text: "\(e.title)|\(e.text)|\(e.timestamp)|\(e.priority ?? "-")|\(e.host)|\(e.alertType ?? "-")|\(e.aggregationKey ?? "-")|\(e.sourceTypeName ?? "-")|\(e.eventType ?? "-")|\(e.tags)"))
        }
        for b in submitted.histogramBuckets {
            out.append(Submission(kind: "bucket", text: "\(b.name)|\(b.value)|\(b.lowerBound)|\(b.upperBound)|\(b.monotonic)|\(b.host)|\(b.tags)"))
        }
        for w in submitted.warnings { out.append(Submission(kind: "warning", text: w)) }
        return out.sorted()
    }

    /// The stub side, from stub_run.py's JSON.
    static func stub(_ run: [String: Any]) -> [Submission] {
        var out: [Submission] = []
        func strings(_ value: Any?) -> [String] { value as? [String] ?? [] }
        func double(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? .nan }
        for m in run["metrics"] as? [[String: Any]] ?? [] {
            out.append(Submission(kind: "metric", text: "\(m["name"]!)|\(m["type"]!)|\(render(double(m["value"])))|\(strings(m["tags"]))|\(m["host"]!)|\((m["flush_first_value"] as? Bool) ?? false)"))
        }
        for s in run["service_checks"] as? [[String: Any]] ?? [] {
            out.append(Submission(kind: "service_check", text: "\(s["name"]!)|\(s["status"]!)|\(strings(s["tags"]))|\(s["host"]!)|\(s["message"]!)"))
        }
        for e in run["events"] as? [[String: Any]] ?? [] {
            func text(_ key: String) -> String { (e[key] as? String) ?? "-" }
            out.append(Submission(kind: "event", text: "\(e["title"]!)|\(e["text"]!)|\(e["timestamp"]!)|\(text("priority"))|\(e["host"]!)|\(text("alert_type"))|\(text("aggregation_key"))|\(text("source_type_name"))|\(text("event_type"))|\(strings(e["tags"]))"))
        }
        for b in run["buckets"] as? [[String: Any]] ?? [] {
            out.append(Submission(kind: "bucket", text: "\(b["name"]!)|\(b["value"]!)|\(b["lower"]!)|\(b["upper"]!)|\((b["monotonic"] as? Bool) ?? false)|\(b["host"]!)|\(strings(b["tags"]))"))
        }
        for w in strings(run["warnings"]) { out.append(Submission(kind: "warning", text: w)) }
        return out.sorted()
    }

    static func stubRuns(_ check: String, config: String, runs: Int) throws -> [[String: Any]] {
        let directory = try TemporaryDirectory("vigil-differential")
        let path = try directory.write("\(check).yaml", config)
        let result = try runProcess(Repository.venvPython!, [PythonTesting.fixtures + "/stub_run.py", check, path, "\(runs)"],
                                    currentDirectory: directory.path)
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
              let runs = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw LoadError.failed("stub_run.py failed: \(result.stderr)")
        }
        return runs
    }

    @Test(arguments: [
        ("everything", "init_config:\ninstances:\n  - tags: [env:test, team:core]\n"),
        ("edges", "init_config: {}\ninstances:\n  - tags: ['instance:tag']\n"),
        ("raiser", "init_config:\ninstances:\n  - {}\n"),
    ])
    func vigilAndTheStubAggregatorSubmitTheSame(check: String, config: String) throws {
        let stubRuns = try Self.stubRuns(check, config: config, runs: 2)
        let file = CheckFileDecoder(environment: [:]).decode(Array(config.utf8), path: "\(check).yaml", checkName: check)
        let vigilCheck = try PythonTesting.load(file.specs[0])
        for (index, stubRun) in stubRuns.enumerated() {
            // An empty default host: both sides then report the host the check gave, or "".
            let (submitted, error) = PythonTesting.run(vigilCheck, defaultHost: "")
            #expect((error != nil) == (stubRun["error"] as? Bool ?? false), "run \(index + 1)")
            var ours = Self.vigil(submitted)
            var theirs = Self.stub(stubRun)
            // The one intended difference: under the stubs AGENT_RUNNING is False.
            ours.removeAll { $0.text.hasPrefix("everything.agent_running|") }
            theirs.removeAll { $0.text.hasPrefix("everything.agent_running|") }
            #expect(!ours.isEmpty)
            #expect(ours == theirs, "run \(index + 1): only in Vigil \(ours.filter { !theirs.contains($0) }), only in the stub \(theirs.filter { !ours.contains($0) })")
        }
    }
}
#endif
