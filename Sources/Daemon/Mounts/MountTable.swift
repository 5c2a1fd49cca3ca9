/// `/proc/self/mountinfo`, the parts Vigil reads: where each mount is, what part of its file
/// system it shows (the root: a subdirectory or a single file for bind mounts, which is how
/// kubelet mounts a `subPath`), and whether it is read-only.
public struct MountTable: Sendable, Equatable {
    public struct Mount: Sendable, Equatable {
        /// The path inside the mounted file system that appears at `mountPoint`.
        public var root: String
        public var mountPoint: String
        public var readOnly: Bool
        public var fileSystemType: String
    }

    public var mounts: [Mount]

    /// Parses mountinfo text (proc(5)): `ID PARENT MAJ:MIN ROOT POINT OPTIONS [TAGS…] - TYPE SOURCE SUPER`.
    /// Paths escape space, tab, newline and backslash as octal (`\040`).
    public init(mountinfo text: String) {
        mounts = text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 7, let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 1 < fields.count else { return nil }
            let options = fields[5].split(separator: ",")
            return Mount(root: Self.unescape(fields[3]), mountPoint: Self.unescape(fields[4]),
                         readOnly: options.contains("ro"), fileSystemType: String(fields[dash + 1]))
        }
    }

    public init(mounts: [Mount]) {
        self.mounts = mounts
    }

    /// The mount that holds `path` (the longest mount point that is a prefix of it; later
    /// mounts on the same point win, as they hide earlier ones).
    public func mount(containing path: String) -> Mount? {
        var best: Mount?
        for mount in mounts where Self.isPrefix(mount.mountPoint, of: path) {
            if best == nil || mount.mountPoint.count >= best!.mountPoint.count { best = mount }
        }
        return best
    }

    /// Mounts whose mount point is `directory` itself or lies inside it.
    public func mounts(atOrUnder directory: String) -> [Mount] {
        mounts.filter { $0.mountPoint == directory || Self.isPrefix(directory, of: $0.mountPoint) && $0.mountPoint != directory }
    }

    static func isPrefix(_ prefix: String, of path: String) -> Bool {
        prefix == "/" || path == prefix || path.hasPrefix(prefix.hasSuffix("/") ? prefix : prefix + "/")
    }

    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
               let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
