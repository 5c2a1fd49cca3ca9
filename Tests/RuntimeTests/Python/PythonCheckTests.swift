#if Python
import Foundation
import Testing
@testable import Runtime
import TestSupport
import VigilConfig

/// Unmodified `datadog_checks.base.AgentCheck` subclasses in the embedded interpreter: what
/// they submit, how they load and fail, and the Agent services they call.
@Suite(.serialized, .enabled(if: PythonTesting.available, "\(Repository.venvMissing)"))
struct PythonCheckTests {
    @Test func aCustomCheckSubmitsEveryKindOfDataWithItsOwnTagsAndHosts() throws {
        let check = try PythonTesting.load(Specs.make("everything", "{tags: [env:test], service: web}"))
        let (submitted, error) = PythonTesting.run(check)
        #expect(error == nil)
        #expect(check.version == "4.5.6")

        struct Sample: Equatable { var name: String; var type: MetricType; var value: Double; var tags: [String]; var host: String? }
        let samples = submitted.metrics.map { Sample(name: $0.name, type: $0.type, value: $0.value, tags: $0.tags, host: $0.host) }
        let tags = ["env:test"]
        // Python checks keep exactly the tags they send: no instance tags appended. (The
        // `service` option is the sender's to add; this sender has none configured.)
        #expect(samples == [
            Sample(name: "everything.gauge", type: .gauge, value: 1.5, tags: tags, host: "test-host"),
            Sample(name: "everything.on_other_host", type: .gauge, value: 2, tags: tags, host: "elsewhere"),
            Sample(name: "everything.count", type: .count, value: 3, tags: tags + ["kind:count"], host: "test-host"),
            Sample(name: "everything.monotonic", type: .monotonicCount, value: 40, tags: tags, host: "test-host"),
            Sample(name: "everything.rate", type: .rate, value: 5, tags: tags, host: "test-host"),
            Sample(name: "everything.histogram", type: .histogram, value: 6, tags: tags, host: "test-host"),
            Sample(name: "everything.historate", type: .historate, value: 7, tags: tags, host: "test-host"),
            Sample(name: "everything.counter", type: .counter, value: 8, tags: tags, host: "test-host"),
            Sample(name: "everything.agent_running", type: .gauge, value: 1, tags: [], host: "test-host"),
            Sample(name: "everything.subprocess_chars", type: .gauge, value: 23, tags: ["code:0"], host: "test-host"),
        ])
        #expect(submitted.serviceChecks == [
            ServiceCheck(name: "everything.can_connect", status: .warning, tags: tags, host: "test-host", message: "half there"),
        ])
        #expect(submitted.events == [
            CheckEvent(title: "Something happened", text: "in detail", timestamp: 1_700_000_000, priority: "low", host: "event-host",
                       alertType: "warning", aggregationKey: "agg", sourceTypeName: "vigil-test", eventType: "everything", tags: tags),
        ])
        #expect(submitted.histogramBuckets == [
            HistogramBucket(name: "everything.bucket", value: 9, lowerBound: 0, upperBound: 0.1, monotonic: true, host: "bucket-host",
                            tags: tags),
        ])
        #expect(submitted.warnings == [
            "DEPRECATION NOTICE: `AgentCheck.increment`/`AgentCheck.decrement` are deprecated, please use `AgentCheck.gauge` or `AgentCheck.count` instead, with a different metric name",
            "a warning with arguments",
        ])
        // set_metadata('version', …) goes through checks-base's version transformer.
        #expect(check.details.metadata["version.raw"] == "1.2.3")
        #expect(check.details.metadata["version.major"] == "1")
        #expect(check.details.metadata["version.scheme"] == "semver")
        // AgentCheck.warning() also logs, through datadog_agent.log, with the check ID.
        #expect(PythonTesting.logs.withLock { $0 }.contains { $0.contains(Specs.make("everything", "{tags: [env:test], service: web}").id.rawValue) && $0.contains("a warning with arguments") })
    }

    @Test func checksBaseSeesTheAgentNotItsStubs() throws {
        let check = try PythonTesting.load(Specs.make("everything", "{}"))
        let (submitted, _) = PythonTesting.run(check)
        // datadog_checks.base.agent.AGENT_RUNNING: both builtin modules imported.
        #expect(submitted.metrics.first { $0.name == "everything.agent_running" }?.value == 1)
    }

    @Test func aRaisingCheckReportsItsErrorAndTraceback() throws {
        let check = try PythonTesting.load(Specs.make("raiser", "{}"))
        let (submitted, error) = PythonTesting.run(check)
        #expect(error?.message == "division by zero")
        #expect(error?.traceback?.contains("ZeroDivisionError") == true)
        #expect(error?.traceback?.contains("raiser.py") == true)
        #expect(error?.traceback?.contains("in divide") == true)
        // What it submitted before raising is kept, as the Agent commits it.
        #expect(submitted.metrics.map(\.name) == ["raiser.before"])
    }

    @Test func loadErrorsSayWhatIsWrong() throws {
        let loader = try #require(PythonTesting.loader())
        func error(_ name: String) -> LoadError? {
            do {
                _ = try loader.load(Specs.make(name, "{}"), context: PythonTesting.context)
                return nil
            } catch {
                return error
            }
        }
        let broken = try #require(error("broken_import"))
        #expect(broken.kind == .failed)
        #expect(broken.message.hasPrefix("unable to import module 'broken_import'"))
        #expect(broken.message.contains("No module named 'vigil_no_such_module_anywhere'"))
        #expect(broken.message.contains("Traceback"))

        let noClass = try #require(error("no_class"))
        #expect(noClass.kind == .failed)
        #expect(noClass.message == "unable to find a subclass of the base check in module 'no_class': cannot find a subclass")

        let unknown = try #require(error("vigil_unknown_check"))
        #expect(unknown.kind == .notFound)

        let refused = try #require(error("refuser"))
        #expect(refused.kind == .declined)
        // Declined means skipped, not failed, through the chain.
        guard case .skipped(let reason) = LoaderChain([loader]).load(Specs.make("refuser", "{}"), context: PythonTesting.context) else {
            Issue.record("a refused configuration should be skipped")
            return
        }
        #expect(reason.contains("refused to load the check configuration"))
    }

    @Test func thePersistentCacheOutlivesTheCheckObject() throws {
        let spec = Specs.make("cacher", "{salt: \(UInt32.random(in: 0...UInt32.max))}")
        let first = try PythonTesting.load(spec)
        #expect(PythonTesting.run(first).0.metrics.first?.value == 1)
        #expect(PythonTesting.run(first).0.metrics.first?.value == 2)
        // A new load, as after a restart: same check ID, same cache entry, on disk.
        let second = try PythonTesting.load(spec)
        #expect(PythonTesting.run(second).0.metrics.first?.value == 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: PythonTesting.stateDirectory + "/python-cache")
        #expect(files.contains { $0.hasPrefix("cacher%3A") && $0.hasSuffix("_runs") })
    }

    @Test func buffersHandedToPythonAreAllGivenBack() throws {
        let check = try PythonTesting.load(Specs.make("everything", "{}"))
        let before = BoundaryBuffers.shared.counts
        for _ in 0..<20 { _ = PythonTesting.run(check) }
        let after = BoundaryBuffers.shared.counts
        // Every run's subprocess hands back stdout and stderr buffers.
        #expect(after.allocations - before.allocations >= 20 * 2)
        #expect(after.allocatedBytes > before.allocatedBytes)
        // Counted synchronously: nothing outstanding once the runs are over.
        #expect(after.outstanding == 0)
        #expect(after.outstandingBytes == 0)
    }

    @Test func unschedulingCallsCancel() async throws {
        let marker = NSTemporaryDirectory() + "vigil-cancelled-\(UUID().uuidString)"
        let runner = try #require(PythonTesting.runner(workers: 1))
        let spec = Specs.make("canceller", "{marker: \"\(marker)\"}")
        _ = await runner.schedule([spec], spreadFirstRuns: false)
        #expect(await eventually { runner.snapshot().first?.stats.totalRuns == 1 })
        #expect(!FileManager.default.fileExists(atPath: marker))
        runner.unschedule([spec.id])
        #expect(await eventually { FileManager.default.fileExists(atPath: marker) })
        await runner.shutdown(grace: .seconds(1))
        try? FileManager.default.removeItem(atPath: marker)
    }
}
#endif
