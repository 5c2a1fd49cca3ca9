#if canImport(Glibc)
import Glibc
#endif

/// The inotify(7) system calls, each retrying EINTR and turning errno into ``WatchError`` in one
/// place. EBADF and EFAULT mean a bug in Vigil (a closed or bogus descriptor), so they trap.
enum Inotify {
    /// Events Vigil asks for (WATCHING.md §4). IN_MODIFY is left out on purpose: it fires on
    /// partial writes. IN_ATTRIB is a dirty hint: a chmod that makes a file readable again
    /// changes nothing else (a re-read of unchanged bytes costs no parse). IN_IGNORED,
    /// IN_UNMOUNT and IN_Q_OVERFLOW are always reported.
    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE) | UInt32(IN_ATTRIB) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM)
        | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    static func initialize() throws(WatchError) -> InotifyDescriptor {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw WatchError(.inotifyInit, errno: errno) }
        return InotifyDescriptor(fd: fd)
    }

    /// Watches a directory (following symlinks: a mount path or ConfigMap directory may be one).
    /// Returns the watch descriptor; watching an already-watched inode returns its existing one.
    static func addWatch(_ fd: Int32, path: String) throws(WatchError) -> Int32 {
        while true {
            let wd = inotify_add_watch(fd, path, mask)
            if wd >= 0 { return wd }
            let error = errno
            if error == EINTR { continue }
            if error == EBADF || error == EFAULT { fatalError("inotify_add_watch: \(String(cString: strerror(error))) (a bug)") }
            throw WatchError(.addWatch, errno: error, path: path)
        }
    }

    /// Removing a watch the kernel already dropped gives EINVAL, which is fine.
    static func removeWatch(_ fd: Int32, _ wd: Int32) {
        _ = inotify_rm_watch(fd, wd)
    }

    /// Reads whatever events are queued into `buffer`; 0 when none are (the fd is non-blocking).
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(WatchError) -> Int {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            let error = errno
            if error == EINTR { continue }
            if error == EAGAIN { return 0 }
            if error == EBADF || error == EFAULT { fatalError("read(inotify): \(String(cString: strerror(error))) (a bug)") }
            throw WatchError(.read, errno: error)
        }
    }
}

/// The one owner of an inotify file descriptor: closing it drops every watch at once.
struct InotifyDescriptor: ~Copyable {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }
}
