#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking UDP socket and the resolved address datagrams go to. The one owner of the
/// fd: it is closed when the last reference goes, so a send that still holds a destination
/// replaced by a re-resolution finishes on an open fd.
final class UDPDestination: Sendable {
    let fd: Int32
    /// The `sockaddr` bytes (`sockaddr_in` or `sockaddr_in6`).
    let address: [UInt8]
    /// The numeric address, e.g. `127.0.0.1:8125`.
    let numeric: String

    private init(fd: Int32, address: [UInt8], numeric: String) {
        self.fd = fd
        self.address = address
        self.numeric = numeric
    }

    deinit { close(fd) }

    /// getaddrinfo(3) for a UDP address (the first answer), then a socket of its family. Blocks
    /// for as long as the name lookup takes: call it at start-up or off the check workers.
    static func resolve(_ target: DogStatsDTarget) throws(DogStatsDError) -> UDPDestination {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw DogStatsDError("cannot resolve \(target.host): \(reason)")
        }
        defer { freeaddrinfo(list) }
        // IPv4 first, as the official client does: `localhost` often resolves to ::1 first,
        // while the Agent's DogStatsD listens on 127.0.0.1, and an unconnected UDP send to a
        // port nobody listens on reports no error.
        var chosen = first
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next {
            if entry.pointee.ai_family == AF_INET { chosen = entry; break }
            next = entry.pointee.ai_next
        }
        let info = chosen.pointee
        let address = [UInt8](UnsafeRawBufferPointer(start: info.ai_addr, count: Int(info.ai_addrlen)))
        let fd = socket(info.ai_family, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw DogStatsDError("cannot open a UDP socket: \(String(cString: strerror(errno)))") }
        return UDPDestination(fd: fd, address: address, numeric: numericName(info.ai_addr, info.ai_addrlen, port: target.port))
    }

    /// sendto(2) of one datagram, retrying EINTR; nil on success, else the errno. Never
    /// blocks: the socket is non-blocking, so a full send buffer is EAGAIN.
    func send(_ datagram: [UInt8]) -> Int32? {
        while true {
            let sent = datagram.withUnsafeBytes { bytes in
                address.withUnsafeBytes { raw in
                    sendto(fd, bytes.baseAddress, bytes.count, 0, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                           socklen_t(raw.count))
                }
            }
            if sent >= 0 { return nil }
            let code = errno
            if code == EINTR { continue }
            // These mean a bug here, not a network condition (swift-nio's rule).
            precondition(code != EBADF && code != EFAULT, "sendto on a bad fd or buffer: errno \(code)")
            return code
        }
    }

    private static func numericName(_ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, port: Int) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { return "?" }
        let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.contains(":") ? "[\(text)]:\(port)" : "\(text):\(port)"
    }
}
