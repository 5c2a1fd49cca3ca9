/// Where DogStatsD datagrams go: a host (name or address) and a UDP port.
public struct DogStatsDTarget: Sendable, Equatable, CustomStringConvertible {
    /// The DogStatsD port when `DD_DOGSTATSD_PORT` is not set (the client's `DEFAULT_PORT`).
    public static let defaultPort = 8125

    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPV6]:PORT`.
    public init(parsing text: String) throws(DogStatsDError) {
        let host: Substring, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw DogStatsDError("'\(text)' is not HOST:PORT or [IPV6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw DogStatsDError("'\(text)' is not HOST:PORT (write an IPv6 address as [ADDRESS]:PORT)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw DogStatsDError("'\(text)' has no host") }
        self.init(host: String(host), port: try Self.port(String(portText)))
    }

    /// `HOST:PORT` from an option or `VIGIL_DOGSTATSD`; without either, the Datadog
    /// convention: `DD_AGENT_HOST` and `DD_DOGSTATSD_PORT` (default 8125), as the official
    /// clients read them. nil when none is set, or when the value is `none`.
    /// - Parameters:
    ///   - value: the `--dogstatsd` option, else `VIGIL_DOGSTATSD`.
    ///   - environment: where `DD_AGENT_HOST`/`DD_DOGSTATSD_PORT` are read.
    public static func resolve(_ value: String?, environment: [String: String]) throws(DogStatsDError) -> DogStatsDTarget? {
        if let value {
            return value == "none" ? nil : try DogStatsDTarget(parsing: value)
        }
        guard let host = environment["DD_AGENT_HOST"], !host.isEmpty else { return nil }
        var port = defaultPort
        if let text = environment["DD_DOGSTATSD_PORT"], !text.isEmpty {
            do { port = try Self.port(text) } catch { throw DogStatsDError("DD_DOGSTATSD_PORT: \(error)") }
        }
        return DogStatsDTarget(host: host, port: port)
    }

    private static func port(_ text: String) throws(DogStatsDError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw DogStatsDError("'\(text)' is not a port (1-65535)")
        }
        return port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
