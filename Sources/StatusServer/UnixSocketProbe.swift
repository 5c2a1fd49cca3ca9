#if canImport(Glibc)
import Glibc
#endif

/// Whether something answers on a Unix socket: `connect(2)` succeeds. A socket file outlives
/// the process that bound it, and then answers ECONNREFUSED; a missing one, ENOENT.
public enum UnixSocketProbe {
    /// - Parameters:
    ///   - path: the socket's path.
    ///   - datagram: a `SOCK_DGRAM` socket (journald's) rather than a stream one (an HTTP API).
    public static func answers(_ path: String, datagram: Bool) -> Bool {
        let type = datagram ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        let fd = socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }
}
