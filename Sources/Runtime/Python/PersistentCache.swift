import Foundation

/// `datadog_agent.read_persistent_cache`/`write_persistent_cache`: small values a check keeps
/// across restarts (OpenMetrics and log-tailing checks store offsets there). One file per key
/// under `<state-dir>/python-cache/`, the key percent-encoded into the file name, written to a
/// temporary file and renamed, so a crash never leaves half a value.
public struct PersistentCache: Sendable {
    /// `<state-dir>/python-cache`.
    public let directory: String

    public init(stateDirectory: String) {
        directory = stateDirectory + "/python-cache"
    }

    public enum CacheError: Error, CustomStringConvertible {
        case unreadable(key: String, path: String, reason: String)
        case unwritable(key: String, path: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let key, let path, let reason): return "cannot read persistent cache '\(key)' from \(path): \(reason)"
            case .unwritable(let key, let path, let reason): return "cannot write persistent cache '\(key)' to \(path): \(reason)"
            }
        }
    }

    /// The stored value; "" when nothing was stored under `key` (as the Agent answers).
    public func read(_ key: String) throws(CacheError) -> String {
        let path = file(for: key)
        guard let data = FileManager.default.contents(atPath: path) else {
            if !FileManager.default.fileExists(atPath: path) { return "" }
            throw .unreadable(key: key, path: path, reason: "permission denied or not a file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public func write(_ key: String, _ value: String) throws(CacheError) {
        let target = file(for: key)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(value.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw .unwritable(key: key, path: target, reason: "\(error.localizedDescription)")
        }
    }

    /// Keys carry check IDs (`name:digest`); everything but `[A-Za-z0-9._-]` is percent-encoded,
    /// so distinct keys never share a file and no key can name a path outside the directory.
    func file(for key: String) -> String {
        var name = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                name.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: "."):
                // Never "." or "..": a leading dot is encoded too.
                name += name.isEmpty ? "%2E" : "."
            default:
                name += String(format: "%%%02X", byte)
            }
        }
        if name.isEmpty { name = "%00empty" }
        return directory + "/" + name
    }
}
