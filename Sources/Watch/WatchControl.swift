import Synchronization

/// What other threads share with the watcher thread: requests in, status out, and the eventfd
/// that wakes it.
final class WatchControl: Sendable {
    struct Requests {
        var stop = false
        var resyncReasons: [String] = []
    }

    let wake: WakeSignal
    let requests = Mutex(Requests())
    let status = Mutex(WatchStatus())

    init() throws(WatchError) {
        wake = try WakeSignal()
    }

    func request(_ change: (inout Requests) -> Void) {
        requests.withLock { change(&$0) }
        wake.signal()
    }
}
