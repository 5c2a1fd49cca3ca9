import Testing
@testable import Watch

/// Debounce arithmetic, with made-up times in milliseconds.
@Suite struct BatchAccumulatorTests {
    static let ms: UInt64 = 1_000_000

    @Test func deliversAfterQuiet() {
        var acc = BatchAccumulator(debounce: .milliseconds(100), maxDelay: .seconds(1))
        acc.add(.changed(["a"]), at: 0)
        acc.add(.changed(["b"]), at: 50 * Self.ms)
        #expect(acc.takeIfDue(at: 149 * Self.ms) == nil)
        #expect(acc.takeIfDue(at: 150 * Self.ms) == .changed(["a", "b"]))
        #expect(acc.isEmpty)
    }

    @Test func maximumDelayBoundsASteadyStream() {
        var acc = BatchAccumulator(debounce: .milliseconds(100), maxDelay: .milliseconds(300))
        var now: UInt64 = 0
        while now < 290 * Self.ms {
            acc.add(.changed(["f"]), at: now)
            #expect(acc.takeIfDue(at: now) == nil)
            now += 50 * Self.ms
        }
        #expect(acc.deadline == 300 * Self.ms)
        #expect(acc.takeIfDue(at: 300 * Self.ms) == .changed(["f"]))
    }

    @Test func zeroDebounceIsDueAtOnce() {
        var acc = BatchAccumulator(debounce: .zero, maxDelay: .seconds(1))
        acc.add(.changed(["a"]), at: 7)
        #expect(acc.takeIfDue(at: 7) == .changed(["a"]))
    }

    @Test func resyncAbsorbsPaths() {
        var acc = BatchAccumulator(debounce: .zero, maxDelay: .seconds(1))
        acc.add(.changed(["a"]), at: 0)
        acc.add(.resync(reasons: ["overflow"]), at: 0)
        acc.add(.changed(["b"]), at: 0)
        acc.add(.resync(reasons: ["overflow", "SIGHUP"]), at: 0)
        #expect(acc.takeIfDue(at: 0) == .resync(reasons: ["overflow", "SIGHUP"]))
    }
}
