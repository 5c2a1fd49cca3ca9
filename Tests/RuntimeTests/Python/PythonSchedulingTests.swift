#if Python
import Foundation
import Synchronization
import Testing
@testable import Runtime
import TestSupport
import VigilConfig

/// Python checks on the scheduler's worker threads: concurrency across the GIL, timeouts
/// enforced inside the interpreter, hung runs written off, memory attributed per check.
@Suite(.serialized, .enabled(if: PythonTesting.available, "\(Repository.venvMissing)"))
struct PythonSchedulingTests {
    static func stats(_ runner: CheckRunner, _ id: CheckID) -> InstanceStats? {
        runner.snapshot().first { $0.spec.id == id }?.stats
    }

    static func spec(_ name: String, _ yaml: String = "{}", interval: Duration, timeout: Duration? = nil) -> CheckSpec {
        var spec = Specs.make(name, yaml)
        spec.options.interval = interval
        spec.options.timeout = timeout
        return spec
    }

    @Test func fourChecksSleepingOneSecondRunConcurrently() async throws {
        let runner = try #require(PythonTesting.runner(workers: 4))
        let specs = (0..<4).map { Self.spec("sleeper", "{seconds: 1, salt: \($0)}", interval: .seconds(60)) }
        _ = await runner.schedule(specs, spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(10)) { specs.allSatisfy { Self.stats(runner, $0.id)?.totalRuns == 1 } })
        // Wall time from the runs' own clocks (first start to last end), not from when this
        // test got around to looking. Serialised on the GIL they would span 4 s.
        let runs = specs.compactMap { Self.stats(runner, $0.id) }
        let first = try #require(runs.compactMap(\.lastRunAt).min())
        let last = try #require(runs.compactMap { stats in stats.lastRunAt.map { $0 + (stats.lastExecutionMs ?? 0) / 1000 } }.max())
        #expect(last - first < 1.9, "four 1 s sleeps spanned \(last - first) s")
        #expect(runs.allSatisfy { $0.lastError == nil })
        await runner.shutdown(grace: .seconds(2))
    }

    @Test func aCheckThatLoopsForeverIsInterruptedAndTheOthersKeepTheirSchedule() async throws {
        let runner = try #require(PythonTesting.runner(workers: 2))
        let looper = Self.spec("looper", interval: .seconds(2), timeout: .milliseconds(500))
        let tidy = Self.spec("tidy", interval: .milliseconds(200), timeout: .seconds(5))
        _ = await runner.schedule([looper, tidy], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(10)) { (Self.stats(runner, looper.id)?.totalRuns ?? 0) >= 2 })
        let looperStats = try #require(Self.stats(runner, looper.id))
        #expect(looperStats.lastError?.message.contains("timed out") == true)
        // TimeoutError was raised inside the loop: the run came back, no worker was lost.
        #expect(runner.replacedWorkers == 0)
        #expect(runner.snapshot().first { $0.spec.id == looper.id }?.state != .hung)
        // Meanwhile the fast check ran on schedule, every 200 ms, with no errors.
        let tidyStats = try #require(Self.stats(runner, tidy.id))
        #expect(tidyStats.totalRuns >= 8, "tidy ran \(tidyStats.totalRuns) times")
        #expect(tidyStats.totalErrors == 0)
        await runner.shutdown(grace: .seconds(2))
    }

    @Test func anInterruptNeverLandsOnTheNextRunOfTheWorker() async throws {
        // One worker: the looper's interrupt and the tidy runs share a thread.
        let runner = try #require(PythonTesting.runner(workers: 1))
        let looper = Self.spec("looper", interval: .seconds(60), timeout: .milliseconds(300))
        let tidy = Self.spec("tidy", interval: .milliseconds(50), timeout: .seconds(5))
        _ = await runner.schedule([looper, tidy], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(10)) { (Self.stats(runner, tidy.id)?.totalRuns ?? 0) >= 30 })
        #expect(Self.stats(runner, looper.id)?.totalRuns == 1)
        #expect(Self.stats(runner, tidy.id)?.totalErrors == 0)
        await runner.shutdown(grace: .seconds(2))
    }

    @Test func aRunThatIgnoresItsTimeoutLosesItsWorkerNotThePool() async throws {
        let events = Mutex<[String]>([])
        let runner = try #require(PythonTesting.runner(workers: 1, hangGrace: .milliseconds(500)) { event in
            events.withLock { $0.append("\(event)".prefix { $0 != "(" }.description) }
        })
        // time.sleep does not see asynchronous exceptions: this run really hangs for 20 s.
        let stuck = Self.spec("sleeper", "{seconds: 20}", interval: .seconds(60), timeout: .milliseconds(300))
        let tidy = Self.spec("tidy", interval: .milliseconds(100), timeout: .seconds(5))
        _ = await runner.schedule([stuck, tidy], spreadFirstRuns: false)
        #expect(await eventually(timeout: .seconds(5)) { runner.replacedWorkers == 1 })
        #expect(runner.snapshot().first { $0.spec.id == stuck.id }?.state == .hung)
        #expect(events.withLock { $0 }.contains("runHung"))
        // With its only worker stuck, the pool replaced it: the other check runs on.
        let before = Self.stats(runner, tidy.id)?.totalRuns ?? 0
        #expect(await eventually(timeout: .seconds(5)) { (Self.stats(runner, tidy.id)?.totalRuns ?? 0) >= before + 10 })
        runner.unschedule([stuck.id, tidy.id])
        await runner.shutdown(grace: .milliseconds(200))
    }

    @Test func aLeakingCheckShowsItsMemoryAndATidyOneDoesNot() async throws {
        let leaker = try PythonTesting.load(Specs.make("leaker", "{}"), tracemalloc: true)
        let tidy = try PythonTesting.load(Specs.make("tidy", "{}"), tracemalloc: true)
        for _ in 0..<3 {
            #expect(PythonTesting.run(leaker).1 == nil)
            #expect(PythonTesting.run(tidy).1 == nil)
        }
        let leaked = try #require(leaker.details.pythonAllocatedBytes)
        let kept = try #require(tidy.details.pythonAllocatedBytes)
        #expect(leaked >= 3 * 1024 * 1024, "leaker kept \(leaked) bytes")
        #expect(leaker.details.pythonAllocatedBytesLastRun ?? 0 >= 1024 * 1024)
        #expect(kept < 256 * 1024, "tidy kept \(kept) bytes")
    }
}
#endif
