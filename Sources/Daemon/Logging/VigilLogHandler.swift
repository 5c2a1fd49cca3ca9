import Foundation
public import Logging
import VigilYAML
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Log lines on stderr: human text, or one JSON object per line for containers and log
/// shippers. Metadata becomes `key=value` pairs or JSON fields. (`JournalLogHandler` writes
/// to the journal; `auto` and `journal` given here mean text.)
public struct VigilLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let format: DaemonOptions.LogFormat
    private static let lock = Mutex(())

    public init(label: String, format: DaemonOptions.LogFormat) {
        self.label = label
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = Self.timestamp()
        let line: String
        switch format {
        case .text, .auto, .journal:
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoteIfNeeded($0.value.description))" }
            line = "\(time) \(event.level.rawValue.uppercased()) \(event.message)" + (fields.isEmpty ? "" : " " + fields.joined(separator: " "))
        case .json:
            // Written directly: JSONSerialization sorts keys with locale-aware comparison,
            // which dominated start-up with tens of thousands of "check scheduled" lines.
            var fields: [(String, String)] = [("ts", time), ("level", event.level.rawValue), ("msg", "\(event.message)"), ("logger", label)]
            for (key, value) in merged where !["ts", "level", "msg", "logger"].contains(key) { fields.append((key, value.description)) }
            fields.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            var text = "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { text += "," }
                TypedJSON.writeString(field.0, into: &text)
                text += ":"
                TypedJSON.writeString(field.1, into: &text)
            }
            line = text + "}"
        }
        var output = line + "\n"
        Self.lock.withLock { _ in
            output.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 { if errno == EINTR { continue } else { return } }
                    offset += written
                }
            }
        }
    }

    private static func quoteIfNeeded(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" })
            ? "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
            : value
    }

    /// RFC 3339 UTC with milliseconds, formatted by hand: a formatter object per line is
    /// costly when thousands of instances are scheduled at start-up.
    static func timestamp(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}
