#if canImport(Glibc)
import Glibc
#endif

/// A failure of the watcher's system calls, with the errno and the path involved.
public struct WatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable { case inotifyInit, addWatch, read, eventfd, poll }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        public static let inotifyInit = Code(.inotifyInit)
        public static let addWatch = Code(.addWatch)
        public static let read = Code(.read)
        public static let eventfd = Code(.eventfd)
        public static let poll = Code(.poll)
        public var description: String { kind.rawValue }
    }

    public var code: Code
    public var errno: Int32
    public var path: String?

    public init(_ code: Code, errno: Int32, path: String? = nil) {
        self.code = code
        self.errno = errno
        self.path = path
    }

    /// True for the "out of inotify resources" errors that make a root fall back to polling:
    /// ENOSPC (fs.inotify.max_user_watches), EMFILE/ENFILE (max_user_instances, fd limits), ENOMEM.
    public var isResourceLimit: Bool { [ENOSPC, EMFILE, ENFILE, ENOMEM].contains(errno) }

    public var description: String {
        let reason = String(cString: strerror(errno))
        switch code {
        case .inotifyInit: return "inotify_init1 failed: \(reason)"
        case .addWatch: return "inotify_add_watch \(path ?? "") failed: \(reason)"
        default: return "\(code) failed\(path.map { " for \($0)" } ?? ""): \(reason)"
        }
    }
}
