import Foundation

/// A fresh directory under the system temp dir, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    /// - Parameter base: a parent other than the system temp dir (vim, for one, writes files
    ///   under /tmp in place instead of by rename).
    public init(_ label: String = "vigil-test", base parent: String? = nil) throws {
        let root = parent.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
        let base = root.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes a file (creating parent directories) and returns its full path.
    @discardableResult
    public func write(_ relative: String, _ contents: String) throws -> String {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    public func file(_ relative: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(relative).path
    }
}
