import Foundation
import Synchronization
import Testing
@testable import Runtime
import VigilConfig

/// The scheduler through the runtime: intervals, overlaps, timeouts, a slow check next to a
/// fast one, spread first runs, unscheduling, errors per loader, graceful stop.
@Suite struct SchedulerTests {
    final class EventLog: Sendable {
        let names = Mutex<[String]>([])
        func append(_ event: RuntimeEvent) { names.withLock { $0.append("\(event)".prefix { $0 != "(" }.description) } }
        var all: [String] { names.withLock { $0 } }
    }

    static func runner(_ probes: [String: ProbeCheck], workers: Int = 4, events: EventLog? = nil) -> CheckRunner {
        CheckRunner(chain: LoaderChain([ProbeLoader(probes: probes)]), workers: workers, hostname: "box") { event in
            events?.append(event)
        }
    }

    static func stats(_ runner: CheckRunner, _ id: CheckID) -> InstanceStats? {
        runner.snapshot().first { $0.spec.id == id }?.stats
    }

    @Test func overlappingRunsAreSkippedAndCountedNeverConcurrent() async throws {
        let slow = ProbeCheck(duration: .milliseconds(350))
        let events = EventLog()
        let runner = Self.runner(["slow": slow], events: events)
        let spec = Specs.fast("slow", interval: .milliseconds(100), timeout: .seconds(5))
        _ = await runner.schedule([spec], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(20)) { (Self.stats(runner, spec.id)?.skippedRuns ?? 0) >= 4 })
        #expect(slow.maxConcurrent == 1)
        // Skipping is said once (then at most every 10 minutes), not once per skipped run.
        #expect(events.all.filter { $0 == "runsSkipped" }.count == 1, "\(events.all)")
        await runner.shutdown(grace: .seconds(2))
    }

    @Test func aRunPastItsTimeoutFailsAndIsCancelled() async throws {
        let hung = ProbeCheck(duration: .seconds(30))
        let runner = Self.runner(["hung": hung])
        let spec = Specs.fast("hung", interval: .seconds(60), timeout: .milliseconds(200))
        _ = await runner.schedule([spec], spreadFirstRuns: false)
        #expect(await eventually { Self.stats(runner, spec.id)?.lastError?.message.hasPrefix("run timed out after") == true })
        #expect(await eventually { hung.cancels >= 1 })
        #expect(Self.stats(runner, spec.id)?.totalErrors == 1)
        await runner.shutdown(grace: .seconds(1))
    }

    @Test func aSlowCheckDoesNotHoldUpTheOthers() async throws {
        let slow = ProbeCheck(duration: .seconds(60)), fast = ProbeCheck()
        let runner = Self.runner(["slow": slow, "fast": fast], workers: 2)
        let slowSpec = Specs.fast("slow", interval: .seconds(120), timeout: .seconds(100))
        let fastSpec = Specs.fast("fast", interval: .milliseconds(50))
        _ = await runner.schedule([slowSpec, fastSpec], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(20)) { fast.runs >= 10 })
        #expect(slow.runs == 0, "the slow run is still going")
        await runner.shutdown(grace: .milliseconds(100))
    }

    @Test func firstRunsAreSpreadAtStartup() async throws {
        var probes: [String: ProbeCheck] = [:]
        var specs: [CheckSpec] = []
        for index in 0..<20 {
            probes["p\(index)"] = ProbeCheck()
            specs.append(Specs.fast("p\(index)", interval: .seconds(2)))
        }
        let runner = Self.runner(probes)
        let scheduledAt = Date().timeIntervalSince1970
        _ = await runner.schedule(specs, spreadFirstRuns: true)
        #expect(await eventually(timeout: .seconds(20)) { probes.values.allSatisfy { !$0.starts.isEmpty } })
        // Each first run's offset from scheduling, read from the checks' own clocks: spread
        // over the 2 s interval, not bunched at the start.
        let offsets = probes.values.compactMap { $0.starts.first.map { $0 - scheduledAt } }.sorted()
        #expect(offsets.count == 20)
        #expect(offsets[15] - offsets[4] > 0.5, "first runs at \(offsets.map { String(format: "%.2f", $0) })")
        await runner.shutdown(grace: .seconds(1))
    }

    @Test func newInstancesAfterStartupRunAtOnce() async throws {
        let probe = ProbeCheck()
        let runner = Self.runner(["p": probe])
        _ = await runner.schedule([Specs.fast("p", interval: .seconds(60))], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(1)) { probe.runs == 1 })
        await runner.shutdown(grace: .seconds(1))
    }

    @Test func unschedulingCancelsARunningCheckAndStopsFurtherRuns() async throws {
        let probe = ProbeCheck(duration: .seconds(10))
        let runner = Self.runner(["p": probe])
        let spec = Specs.fast("p", interval: .milliseconds(100), timeout: .seconds(30))
        _ = await runner.schedule([spec], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(20)) { runner.snapshot().first?.state == .running })
        runner.unschedule([spec.id])
        #expect(await eventually { probe.cancels >= 1 })
        #expect(await eventually { probe.runs == 1 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(probe.runs == 1)
        #expect(runner.instanceIDs.isEmpty)
        await runner.shutdown(grace: .seconds(1))
    }

    @Test func loadFailuresAreKeptPerLoaderAndPinnedFailuresAreNotLost() async throws {
        let runner = CheckRunner(chain: LoaderChain([NativeLoader(), ExecLoader()]), hostname: "box")
        let unknown = Specs.make("redisdb", "{host: a}")
        let outcomes = await runner.schedule([unknown], spreadFirstRuns: false)
        guard case .loadFailed(let errors)? = outcomes[unknown.id] else {
            Issue.record("expected a load failure, got \(String(describing: outcomes[unknown.id]))")
            return
        }
        #expect(Set(errors.keys) == ["native", "exec"])
        #expect(runner.snapshot().first?.state == .loadError)

        let pinned = Specs.make("redisdb", "{loader: python}")
        let pinnedOutcome = await runner.schedule([pinned], spreadFirstRuns: false)
        #expect(pinnedOutcome[pinned.id] == .loadFailed(errors: ["python": "pinned loader 'python' does not exist (this build has: native, exec)"]))

        let pinnedExec = Specs.make("uptime", "{loader: exec}")
        let execOutcome = await runner.schedule([pinnedExec], spreadFirstRuns: false)
        #expect(execOutcome[pinnedExec.id] == .loadFailed(errors: [
            "exec": "pinned loader exec failed: no `command` in the instance (exec checks run `command: [path, args…]`)",
        ]))

        let core = Specs.make("uptime", "{loader: core}")
        #expect(await runner.schedule([core], spreadFirstRuns: false)[core.id] == .scheduled(loader: "native"))
        await runner.shutdown(grace: .seconds(1))
    }

    @Test func failingAndRecoveringRunsAreEventsNotEveryRun() async throws {
        let events = EventLog()
        let bad = ProbeCheck(fails: true)
        let runner = Self.runner(["bad": bad], events: events)
        _ = await runner.schedule([Specs.fast("bad", interval: .milliseconds(50))], spreadFirstRuns: false)
        #expect(await eventually { bad.runs >= 5 })
        await runner.shutdown(grace: .seconds(1))
        #expect(events.all == ["scheduled", "runFailing"])
    }

    @Test func stopLetsARunningCheckFinishWithinTheGrace() async throws {
        let probe = ProbeCheck(duration: .seconds(1))
        let runner = Self.runner(["p": probe])
        _ = await runner.schedule([Specs.fast("p", interval: .seconds(60), timeout: .seconds(30))], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(20)) { probe.starts.count == 1 })
        await runner.shutdown(grace: .seconds(20))
        #expect(probe.runs == 1)
        #expect(probe.cancels == 0, "finished within the grace period, not cancelled")
    }
}
