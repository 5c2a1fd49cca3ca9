#if Python
import Foundation

/// One dedicated thread for the interpreter's housekeeping: interrupting a run that timed
/// out, `cancel()` on unschedule, and releasing Python objects. These need the GIL, and the
/// threads that ask for them (the scheduler's timer, the Swift concurrency pool, deinit on any
/// thread) must never block waiting for it.
final class PythonControlThread: Sendable {
    private let jobs = JobQueue<@Sendable () -> Void>()

    init() {
        let thread = Thread { [jobs] in
            while let job = jobs.pop() { job() }
        }
        thread.name = "vigil-python-control"
        thread.start()
    }

    func async(_ job: @escaping @Sendable () -> Void) {
        jobs.push(job)
    }

    /// Runs `job` on the control thread and waits for it (tests and shutdown).
    func sync(_ job: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        jobs.push {
            job()
            done.signal()
        }
        done.wait()
    }
}
#endif
