#if canImport(Glibc)
import Glibc
#endif

extension ListenAddress {
    /// Why the address cannot be listened on.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Checks, before anything is scheduled, that the API can listen here, so a daemon that
    /// cannot serve its API stops at once with the address in the message instead of running
    /// checks first and failing later.
    ///
    /// - A Unix socket that another process answers on is refused (binding would unlink it and
    ///   leave that process unreachable); a socket file nobody answers on is a leftover and is
    ///   removed; any other kind of file is refused.
    /// - A TCP port is probed by binding it (with `SO_REUSEADDR`, as the server does) on every
    ///   address the host resolves to; port 0 always succeeds.
    public func claim() throws(Unavailable) {
        switch self {
        case .unix(let path): try Self.claimUnix(path)
        case .tcp(let host, let port): try Self.probeTCP(host: host, port: port, shown: description)
        }
    }

    private static func claimUnix(_ path: String) throws(Unavailable) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw Unavailable(description: "unix:\(path) exists and is not a socket")
        }
        if UnixSocketProbe.answers(path, datagram: false) {
            throw Unavailable(description: "unix:\(path) is in use: another process answers on it (a second vigil?)")
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw Unavailable(description: "unix:\(path) is a leftover socket and cannot be removed: \(String(cString: strerror(errno)))")
        }
    }

    private static func probeTCP(host: String, port: Int, shown: String) throws(Unavailable) {
        guard port != 0 else { return }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw Unavailable(description: "\(shown): cannot resolve \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let fd = socket(current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), current.pointee.ai_protocol)
            if fd >= 0 {
                var one: Int32 = 1
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
                let bound = bind(fd, current.pointee.ai_addr, current.pointee.ai_addrlen)
                let error = errno
                close(fd)
                if bound != 0 {
                    let reason = error == EADDRINUSE ? "the port is already in use" : String(cString: strerror(error))
                    throw Unavailable(description: "cannot listen on \(shown): \(reason)")
                }
            }
            entry = current.pointee.ai_next
        }
    }
}
