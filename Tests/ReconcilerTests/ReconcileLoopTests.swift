import Foundation
import Reconciler
import Synchronization
import TestSupport
import Testing
import VigilConfig

/// The loop's order of operations and retries, with a runtime that records calls and fails
/// loads on demand (a fault-injection seam; the real runtime is covered end to end).
@Suite struct ReconcileLoopTests {
    final class RecordingRuntime: CheckRuntime {
        private let state = Mutex((calls: [String](), ids: Set<CheckID>(), failing: Set<String>()))

        func failLoads(of check: String) { state.withLock { _ = $0.failing.insert(check) } }
        func succeed() { state.withLock { $0.failing = [] } }
        var calls: [String] { state.withLock { $0.calls } }

        func schedule(_ specs: [CheckSpec], initial: Bool) async -> [CheckID: ScheduleResult] {
            state.withLock { state in
                var results: [CheckID: ScheduleResult] = [:]
                for spec in specs {
                    state.calls.append("schedule \(spec.id)\(initial ? " (initial)" : "")")
                    state.ids.insert(spec.id)
                    results[spec.id] = state.failing.contains(spec.checkName) ? .loadFailed("injected") : .scheduled
                }
                return results
            }
        }

        func unschedule(_ ids: [CheckID]) async {
            state.withLock { state in
                for id in ids {
                    state.calls.append("unschedule \(id)")
                    state.ids.remove(id)
                }
            }
        }

        func currentIDs() async -> Set<CheckID> { state.withLock { $0.ids } }
    }

    @Test func replacementSchedulesTheNewBeforeUnschedulingTheOld() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("c.yaml", "instances: [{v: 1}]\n")
        let runtime = RecordingRuntime()
        let loop = ReconcileLoop(roots: [dir.path], reader: CheckFileReader(decoder: CheckFileDecoder(environment: [:])), runtime: runtime)
        await loop.pass(.full("start"))
        try dir.write("c.yaml", "instances: [{v: 2}]\n")
        await loop.pass(ReconcileTrigger(paths: [path]))
        let calls = runtime.calls
        #expect(calls.count == 3)
        #expect(calls[0].hasPrefix("schedule c:") && calls[0].hasSuffix("(initial)"))
        #expect(calls[1].hasPrefix("schedule c:") && !calls[1].hasSuffix("(initial)"))
        #expect(calls[2].hasPrefix("unschedule c:"))
        #expect(loop.status.lastPass?.replaced == 1)
    }

    @Test func loadFailuresAreRetriedWithBackoffUntilTheyLoad() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("c.yaml", "instances: [{v: 1}]\n")
        let runtime = RecordingRuntime()
        runtime.failLoads(of: "c")
        let loop = ReconcileLoop(roots: [dir.path], reader: CheckFileReader(decoder: CheckFileDecoder(environment: [:])),
                                 runtime: runtime, retry: RetryQueue(baseDelay: .milliseconds(50), maxDelay: .seconds(1)))
        let running = Task { await loop.run() }
        #expect(await eventually { runtime.calls.count >= 3 }, "start-up, then retries at 50 ms and 100 ms")
        #expect(loop.status.retrying.values.first ?? 0 >= 2)
        runtime.succeed()
        #expect(await eventually { loop.status.retrying.isEmpty })
        let settled = runtime.calls.count
        try await Task.sleep(for: .milliseconds(300))
        #expect(runtime.calls.count == settled, "no retries once loaded")
        loop.finish()
        await running.value
    }

    /// A load that failed waits out its backoff, unless check code changed: then it is tried
    /// at once (the module it needed may just have been written to checks.d).
    @Test func changedCheckCodeRetriesWaitingLoadsAtOnce() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("c.yaml", "instances: [{v: 1}]\n")
        let runtime = RecordingRuntime()
        runtime.failLoads(of: "c")
        let loop = ReconcileLoop(roots: [dir.path], reader: CheckFileReader(decoder: CheckFileDecoder(environment: [:])),
                                 runtime: runtime, retry: RetryQueue(baseDelay: .seconds(60), maxDelay: .seconds(300)))
        await loop.pass(.full("start"))
        #expect(runtime.calls.count == 1)
        await loop.pass(ReconcileTrigger(paths: [dir.path + "/unrelated.yaml"]))
        #expect(runtime.calls.count == 1, "a config change elsewhere does not cut the backoff short")
        runtime.succeed()
        await loop.pass(ReconcileTrigger(paths: ["/checks.d/c.py"], retryNow: true))
        #expect(runtime.calls.count == 2, "retried at once: \(runtime.calls)")
        #expect(loop.status.retrying.isEmpty)
    }

    @Test func triggersDuringAPassMergeIntoOne() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("c.yaml", "instances: [{v: 1}]\n")
        let runtime = RecordingRuntime()
        let loop = ReconcileLoop(roots: [dir.path], reader: CheckFileReader(decoder: CheckFileDecoder(environment: [:])), runtime: runtime)
        for index in 0..<50 { loop.trigger(ReconcileTrigger(paths: [dir.file("c.yaml")], fullReasons: index == 10 ? ["x"] : [])) }
        let running = Task { await loop.run() }
        #expect(await eventually { loop.status.passes >= 2 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(loop.status.passes == 2, "the start-up pass, then one pass for all 50 triggers")
        loop.finish()
        await running.value
    }
}

/// Generous: the whole suite shares a 2-thread cooperative pool with tests that block it, and
/// a condition that holds returns at once.
func eventually(timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
