import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.0 client (GET, HEAD) over a TCP or Unix socket: enough to read Vigil's local API in tests
/// without FoundationNetworking.
public enum HTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        /// Header fields, names lowercased.
        public var headers: [String: String] = [:]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// - Parameter address: `HOST:PORT`, or `unix:/path/to.sock`.
    public static func get(_ address: String, _ path: String, timeout: Double = 5) throws -> Response {
        try request("GET", address, path, timeout: timeout)
    }

    /// - Parameter address: `HOST:PORT`, or `unix:/path/to.sock`.
    public static func request(_ method: String, _ address: String, _ path: String, timeout: Double = 5) throws -> Response {
        let fd: Int32
        if address.hasPrefix("unix:") {
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket failed") }
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let socketPath = Array(address.dropFirst(5).utf8)
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (index, byte) in socketPath.prefix(raw.count - 1).enumerated() { raw[index] = byte }
            }
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard connected == 0 else {
                close(fd)
                throw Failure(description: "connect \(address): \(String(cString: strerror(errno)))")
            }
        } else {
            guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
                throw Failure(description: "bad address \(address)")
            }
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket failed") }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            addr.sin_addr.s_addr = inet_addr(String(address[..<colon]))
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(fd)
                throw Failure(description: "connect \(address): \(String(cString: strerror(errno)))")
            }
        }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let request = "\(method) \(path) HTTP/1.0\r\nHost: \(address)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[..<count]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let headerEnd = text.range(of: "\r\n\r\n") else { throw Failure(description: "no HTTP response from \(address)\(path)") }
        let head = text[..<headerEnd.lowerBound].split(separator: "\r\n")
        let status = Int((head.first ?? "").split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, body: String(text[headerEnd.upperBound...]), headers: headers)
    }
}
