import Synchronization

/// A seam for what a test cannot make the kernel do on demand: overflow the event queue, and
/// run out of watches or inotify instances. Everything else the watcher meets is real.
public final class WatchFaults: Sendable {
    private let state = Mutex(State())
    private struct State {
        var overflowPending = false
        var failingPaths: [String: Int32] = [:]
        var initFailure: Int32?
    }
    var onInject: (@Sendable () -> Void)? {
        get { hook.withLock { $0 } }
        set { hook.withLock { $0 = newValue } }
    }
    private let hook = Mutex<(@Sendable () -> Void)?>(nil)

    public init() {}

    /// The next wake-up of the watcher behaves as if the kernel had queued IN_Q_OVERFLOW.
    public func injectOverflow() {
        state.withLock { $0.overflowPending = true }
        hook.withLock { $0 }?()
    }

    /// `inotify_add_watch` on paths with this prefix fails with `errno` (e.g. ENOSPC) until
    /// cleared with nil.
    public func failAddWatch(under prefix: String, errno: Int32?) {
        state.withLock { $0.failingPaths[prefix] = errno }
    }

    /// `inotify_init1` fails with `errno` (e.g. EMFILE: fs.inotify.max_user_instances) until
    /// cleared with nil.
    public func failInotifyInit(errno: Int32?) {
        state.withLock { $0.initFailure = errno }
    }

    func takeOverflow() -> Bool {
        state.withLock { state in
            defer { state.overflowPending = false }
            return state.overflowPending
        }
    }

    func addWatchFailure(for path: String) -> Int32? {
        state.withLock { state in
            state.failingPaths.first { path.hasPrefix($0.key) }?.value
        }
    }

    func inotifyInitFailure() -> Int32? {
        state.withLock { $0.initFailure }
    }
}
