import Foundation
import VigilConfig
import VigilYAML

#if canImport(Glibc)
import Glibc
#endif

/// `tcp_check`: connects to `host:port` within `timeout` (default 10 s) and reports the
/// service check `tcp.can_connect` and the gauge `network.tcp.can_connect`, tagged
/// `target_host:`, `port:`, `instance:` and `address:`; with `collect_response_time: true`
/// also `network.tcp.response_time` (seconds), tagged `url:host:port`, `instance:` and
/// `address:` (as integrations-core's tcp_check).
final class TCPCheck: Check {
    let name: String
    let host: String
    let port: Int
    let timeout: Double
    let collectResponseTime: Bool

    init(name: String, host: String, port: Int, timeout: Double, collectResponseTime: Bool) {
        self.name = name
        self.host = host
        self.port = port
        self.timeout = timeout
        self.collectResponseTime = collectResponseTime
    }

    static func make(_ spec: CheckSpec) throws(LoadError) -> TCPCheck {
        let instance = spec.instance
        guard let host = instance["host"]?.value.stringValue, !host.isEmpty else {
            throw .failed("tcp_check needs `host` (a string)")
        }
        let portValue = instance["port"]?.value
        let port: Int
        switch portValue {
        case .int(let value)? where (1...65535).contains(value): port = Int(value)
        case .string(let text)? where Int(text).map({ (1...65535).contains($0) }) == true: port = Int(text)!
        default: throw .failed("tcp_check needs `port` (1-65535), found \(portValue.map { TypedJSON.encode($0) } ?? "nothing")")
        }
        let name = spec.options.instanceName ?? "\(host):\(port)"
        let timeout = instance["timeout"]?.value.numberValue ?? 10
        let collect = instance["collect_response_time"]?.value == .bool(true)
        return TCPCheck(name: name, host: host, port: port, timeout: timeout, collectResponseTime: collect)
    }

    func run(_ sender: Sender) throws {
        let tags = ["target_host:\(host)", "port:\(port)", "instance:\(name)"]
        let start = Date()
        let address: String
        do {
            address = try resolve()
        } catch {
            sender.serviceCheck("tcp.can_connect", .critical, tags: tags, message: "\(error)")
            sender.gauge("network.tcp.can_connect", 0, tags: tags)
            return
        }
        let addressTag = "address:\(address)"
        switch connect(address) {
        case .success(let seconds):
            sender.serviceCheck("tcp.can_connect", .ok, tags: tags + [addressTag])
            sender.gauge("network.tcp.can_connect", 1, tags: tags + [addressTag])
            if collectResponseTime {
                sender.gauge("network.tcp.response_time", seconds, tags: ["url:\(host):\(port)", "instance:\(name)", addressTag])
            }
        case .failure(let message):
            let elapsed = Int(Date().timeIntervalSince(start) * 1000)
            sender.serviceCheck("tcp.can_connect", .critical, tags: tags + [addressTag],
                                message: "\(message). Connection failed after \(elapsed) ms")
            sender.gauge("network.tcp.can_connect", 0, tags: tags + [addressTag])
        }
    }

    private struct ResolveError: Error, CustomStringConvertible { var description: String }

    private func resolve() throws -> String {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw ResolveError(description: "URL: \(host) could not be resolved (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(result) }
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        getnameinfo(first.pointee.ai_addr, first.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private enum Outcome { case success(Double), failure(String) }

    /// A non-blocking connect bounded by `timeout`.
    private func connect(_ address: String) -> Outcome {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &result) == 0, let info = result else { return .failure("bad address \(address)") }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(String(cString: strerror(errno))) }
        defer { close(fd) }
        let start = DispatchTime.now()
        if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0, errno != EINPROGRESS {
            return .failure(String(cString: strerror(errno)))
        }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&pfd, 1, Int32(max(1, timeout * 1000)))
        if ready == 0 { return .failure("timed out after \(timeout) s") }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if ready < 0 || error != 0 { return .failure(String(cString: strerror(error != 0 ? error : errno))) }
        return .success(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
}

