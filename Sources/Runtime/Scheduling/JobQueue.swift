import Dispatch
import Synchronization

/// A FIFO of work for the worker threads: a locked array and a counting semaphore.
final class JobQueue<Job: Sendable>: Sendable {
    private let jobs = Mutex<(items: [Job], head: Int)>(([], 0))
    private let available = DispatchSemaphore(value: 0)

    func push(_ job: Job) {
        jobs.withLock { $0.items.append(job) }
        available.signal()
    }

    /// Blocks until a job is there; nil is a request to exit (see ``wakeAll(_:)``).
    func pop() -> Job? {
        available.wait()
        return jobs.withLock { state in
            guard state.head < state.items.count else { return nil }
            let job = state.items[state.head]
            state.head += 1
            if state.head > 1024, state.head * 2 > state.items.count {
                state.items.removeFirst(state.head)
                state.head = 0
            }
            return job
        }
    }

    /// Wakes `count` waiting workers with no job, so they can see that they should exit.
    func wakeAll(_ count: Int) {
        for _ in 0..<count { available.signal() }
    }

    var pending: Int { jobs.withLock { $0.items.count - $0.head } }
}
