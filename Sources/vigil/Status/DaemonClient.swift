import Foundation
import StatusServer

#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.0 GET against the daemon's local API (`HOST:PORT` or `unix:/path`): all
/// `vigil status` and `vigil plan` need, without FoundationNetworking and libcurl.
struct DaemonClient {
    let address: ListenAddress
    /// Applies to connecting, sending and each read.
    var timeoutSeconds = 10

    struct Response {
        var status: Int
        /// Header names lowercased.
        var headers: [String: String]
        var body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Throws: ``Failure`` naming the address and what went wrong.
    func get(_ path: String) throws(Failure) -> Response {
        let fd = try connect()
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(address)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("sending the request")
            }
            sent += count
        }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 {
                if errno == EINTR { continue }
                throw fail(errno == EAGAIN ? "waiting for the answer (timed out after \(timeoutSeconds) s)" : "reading the answer")
            }
            if count == 0 { break }
            data += buffer[..<count]
        }
        return try Self.parse(data, from: "\(address)\(path)")
    }

    /// Splits a response into its status code and body (honouring Content-Length when given).
    static func parse(_ data: [UInt8], from source: String) throws(Failure) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = data.indices.first(where: { data[$0...].starts(with: separator) }) else {
            throw Failure(description: "\(source): not an HTTP response")
        }
        let head = String(decoding: data[..<end], as: UTF8.self).split(separator: "\r\n")
        let statusWords = head.first?.split(separator: " ") ?? []
        guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/"), let status = Int(statusWords[1]) else {
            throw Failure(description: "\(source): not an HTTP response")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        var body = Array(data[(end + 4)...])
        if let length = headers["content-length"].flatMap({ Int($0) }), length < body.count { body = Array(body[..<length]) }
        return Response(status: status, headers: headers, body: body)
    }

    private func connect() throws(Failure) -> Int32 {
        switch address {
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw fail("socket") }
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            let capacity = MemoryLayout.size(ofValue: addr.sun_path)
            guard bytes.count < capacity else {
                close(fd)
                throw Failure(description: "unix socket path is too long (\(bytes.count) bytes, at most \(capacity - 1)): \(path)")
            }
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            setTimeouts(fd)
            let result = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else {
                let error = fail("connect")
                close(fd)
                throw error
            }
            return fd
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_family = AF_UNSPEC
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &list)
            guard status == 0, let first = list else {
                throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(list) }
            var lastError = Failure(description: "\(address): no address to connect to")
            var candidate: UnsafeMutablePointer<addrinfo>? = first
            while let info = candidate {
                candidate = info.pointee.ai_next
                let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
                guard fd >= 0 else { continue }
                setTimeouts(fd)
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                lastError = fail("connect")
                close(fd)
            }
            throw lastError
        }
    }

    /// SO_SNDTIMEO also bounds a blocking connect(2) on Linux (socket(7)).
    private func setTimeouts(_ fd: Int32) {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private func fail(_ step: String) -> Failure {
        Failure(description: "\(address): \(step): \(String(cString: strerror(errno)))")
    }
}
