#if Python
import CVigilPython
import Synchronization

/// A loaded `AgentCheck` instance. A run takes the GIL on the scheduler's worker thread for
/// one call into the host module; submissions reach the run's sender through the check's
/// route. A timeout raises TimeoutError in the running thread; unscheduling calls `cancel()`.
final class PythonCheck: Check {
    let interpreter: PythonInterpreter
    let object: PythonRef
    let route: PythonCheckRoute
    let version: String?
    /// Attribute each run's net Python allocations to this check (tracemalloc is on).
    let measure: Bool
    /// The thread running the check, by Python thread identifier; 0 between runs. Set and
    /// cleared with the GIL held, so an interrupt (also made with the GIL held) can never land
    /// on a thread that has moved on to other work.
    private let runningThread = Mutex<UInt>(0)
    private let cancellation = Mutex<RunCancellation?>(nil)
    private let memory = Mutex<(total: Int64, last: Int64)?>(nil)

    init(interpreter: PythonInterpreter, object: PythonRef, route: PythonCheckRoute, version: String, measure: Bool) {
        self.measure = measure
        self.interpreter = interpreter
        self.object = object
        self.route = route
        self.version = version
        PythonRoutes.shared.add(route)
    }

    deinit {
        PythonRoutes.shared.remove(route.checkID)
        interpreter.release(object)
    }

    func run(_ sender: Sender) throws {
        let token = RunCancellation()
        cancellation.withLock { $0 = token }
        route.begin(sender)
        defer {
            route.end()
            cancellation.withLock { $0 = nil }
        }
        let outcome = token.whileCurrent {
            interpreter.withGIL {
                let ident = vpb_thread_ident()
                runningThread.withLock { $0 = ident }
                let outcome = interpreter.run(object, measure: measure)
                runningThread.withLock { $0 = 0 }
                // An interrupt that arrived as the run was returning must not fire later.
                _ = vpb_interrupt(ident, 0)
                return outcome
            }
        }
        if measure {
            memory.withLock { totals in
                totals = ((totals?.total ?? 0) + outcome.allocatedBytes, outcome.allocatedBytes)
            }
        }
        outcome.warnings.forEach(sender.warning)
        if let error = outcome.error { throw error }
    }

    /// The run timed out (or Vigil is stopping): interrupt it. Never blocks the caller.
    func cancel() {
        cancellation.withLock { $0 }?.cancel()
        interpreter.control.async { [self] in
            interpreter.withGIL {
                let ident = runningThread.withLock { $0 }
                if ident != 0 { _ = vpb_interrupt(ident, 1) }
            }
        }
    }

    func unload() {
        interpreter.control.async { [self] in
            interpreter.withGIL { interpreter.cancel(object) }
        }
    }

    var details: CheckDetails {
        let memory = memory.withLock { $0 }
        return CheckDetails(metadata: route.metadata, pythonAllocatedBytes: memory?.total, pythonAllocatedBytesLastRun: memory?.last)
    }
}
#endif
