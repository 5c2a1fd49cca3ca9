#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe the watcher thread polls next to inotify, so other threads can wake it (stop, a
/// resync request, an injected fault) without a timer. Owned by the watcher; both ends close
/// on deinit.
final class WakeSignal: Sendable {
    /// The end the watcher polls.
    let fd: Int32
    private let writeEnd: Int32

    init() throws(WatchError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw WatchError(.eventfd, errno: errno) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        fd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(fd)
        close(writeEnd)
    }

    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)  // a full pipe already means "wake up"
    }

    func drain() {
        var sink = [UInt8](repeating: 0, count: 64)
        while read(fd, &sink, sink.count) > 0 {}
    }
}
