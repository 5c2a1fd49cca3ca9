import Synchronization

/// Where the watcher thread leaves batches for the consumer: one merged batch plus a doorbell.
/// A consumer busy with a long reconcile finds everything that happened meanwhile in one batch.
final class BatchOutbox: Sendable {
    private let pending = Mutex<WatchBatch?>(nil)
    private let doorbell: AsyncStream<Void>.Continuation
    let rings: AsyncStream<Void>

    init() {
        (rings, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func post(_ batch: WatchBatch) {
        pending.withLock { current in current = current.map { $0.merged(with: batch) } ?? batch }
        doorbell.yield()
    }

    func take() -> WatchBatch? {
        pending.withLock { current in
            defer { current = nil }
            return current
        }
    }

    func finish() { doorbell.finish() }
}

/// The batches of a ``DirectoryWatcher``, for one consumer. Ends when the watcher stops.
public struct WatchBatches: AsyncSequence, Sendable {
    public typealias Element = WatchBatch
    let outbox: BatchOutbox

    public struct AsyncIterator: AsyncIteratorProtocol {
        let outbox: BatchOutbox
        var rings: AsyncStream<Void>.AsyncIterator

        public mutating func next() async -> WatchBatch? {
            while true {
                if let batch = outbox.take() { return batch }
                guard await rings.next() != nil else { return outbox.take() }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(outbox: outbox, rings: outbox.rings.makeAsyncIterator())
    }
}
