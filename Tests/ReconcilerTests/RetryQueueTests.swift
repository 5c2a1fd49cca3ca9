import Reconciler
import Testing
import VigilConfig

/// Load-failure backoff: 1 s doubling to a 5 min cap, reset by success or a new digest.
@Suite struct RetryQueueTests {
    static let id = CheckID(rawValue: "redisdb:0123456789abcdef")

    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (8, 128), (9, 256), (10, 300), (30, 300)])
    func delayDoublesToTheCap(_ failures: Int, _ seconds: Int) {
        #expect(RetryQueue().delay(afterFailures: failures) == .seconds(seconds))
    }

    @Test func dueAndForget() {
        var queue = RetryQueue()
        let start = ContinuousClock.now
        #expect(queue.failed(Self.id, at: start) == .seconds(1))
        #expect(queue.due(at: start + .milliseconds(999)).isEmpty)
        #expect(queue.due(at: start + .seconds(1)) == [Self.id])
        #expect(queue.failed(Self.id, at: start + .seconds(1)) == .seconds(2))
        #expect(queue.nextDue == start + .seconds(3))
        queue.forget(Self.id)
        #expect(queue.count == 0 && queue.nextDue == nil)
        #expect(queue.failed(Self.id, at: start) == .seconds(1), "after a reset the backoff starts again")
    }
}
