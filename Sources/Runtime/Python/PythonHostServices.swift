import Foundation
import VigilYAML

/// What the `datadog_agent` module answers with: Vigil's side of the Agent services a Python
/// check may call. The composition root sets these once when it starts the interpreter.
public struct PythonHostServices: Sendable {
    /// Python logging levels, as `datadog_agent.log` receives them.
    public enum LogLevel: Sendable, Equatable {
        case trace, debug, info, warning, error, critical

        init(pythonLevel: Int32) {
            switch pythonLevel {
            case ..<10: self = .trace
            case 10..<20: self = .debug
            case 20..<30: self = .info
            case 30..<40: self = .warning
            case 40..<50: self = .error
            default: self = .critical
            }
        }

        /// The name `datadog_agent.get_config('log_level')` answers with.
        public var configName: String {
            switch self {
            case .trace: return "trace"
            case .debug: return "debug"
            case .info: return "info"
            case .warning: return "warn"
            case .error: return "error"
            case .critical: return "critical"
            }
        }
    }

    public var hostname: String
    /// Reported as the Agent version (OpenMetrics checks put it in their User-Agent).
    public var version: String
    /// The level checks-base configures Python logging with; lower levels never cross over.
    public var logLevel: LogLevel
    /// Where `write_persistent_cache` keeps values across restarts; nil disables the cache
    /// (reads fail with "failed to read data", writes are logged and dropped).
    public var persistentCache: PersistentCache?
    /// When Vigil started (epoch seconds): `get_process_start_time()`.
    public var processStartTime: Double
    /// Further `get_config` keys (JSON-able values); unknown keys answer None.
    public var extraConfig: [String: String]
    /// Log lines from checks, already formatted by checks-base as
    /// `<check_id> | (<file>:<line>) | <message>`.
    public var log: @Sendable (LogLevel, String) -> Void

    public init(hostname: String, version: String, logLevel: LogLevel = .info, persistentCache: PersistentCache? = nil,
                processStartTime: Double? = nil, extraConfig: [String: String] = [:],
                log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }) {
        self.hostname = hostname
        self.version = version
        self.logLevel = logLevel
        self.persistentCache = persistentCache
        self.processStartTime = processStartTime ?? Date().timeIntervalSince1970
        self.extraConfig = extraConfig
        self.log = log
    }

    /// The JSON text of `get_config(key)`, or nil for None.
    func configJSON(_ key: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let value = extraConfig[key] { return value }
        switch key {
        case "log_level": return Self.quoted(logLevel.configName)
        case "hostname": return Self.quoted(hostname)
        case "enable_metadata_collection": return "true"
        case "proxy": return Self.proxyJSON(environment)
        default: return nil
        }
    }

    /// The Agent's `proxy` setting from the usual environment variables, or nil (None) when
    /// none is set: `{"http": …, "https": …, "no_proxy": [...]}`.
    static func proxyJSON(_ environment: [String: String]) -> String? {
        func value(_ name: String) -> String? { environment[name] ?? environment[name.lowercased()] }
        let http = value("HTTP_PROXY"), https = value("HTTPS_PROXY"), noProxy = value("NO_PROXY")
        guard http != nil || https != nil || noProxy != nil else { return nil }
        var parts: [String] = []
        if let http { parts.append("\"http\":\(quoted(http))") }
        if let https { parts.append("\"https\":\(quoted(https))") }
        if let noProxy {
            let hosts = noProxy.split(separator: ",").map { quoted($0.trimmingCharacters(in: .whitespaces)) }
            parts.append("\"no_proxy\":[\(hosts.joined(separator: ","))]")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = ""
        TypedJSON.writeString(text, into: &out)
        return out
    }
}
