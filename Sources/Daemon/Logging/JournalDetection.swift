public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Is there a journal, and is stderr already connected to it? (SYSTEMD.md §4.)
///
/// `sd_journal_sendv` returns 0 even when nothing listens, so the journal is detected by
/// connecting to its socket — the socket file outlives a journald that was killed, and entries
/// sent to it then vanish; and `JOURNAL_STREAM` proves stderr goes to the journal only when it names the very
/// file fd 2 is (systemd.exec(5)): a parent may have redirected the stream and kept the variable.
public enum JournalDetection {
    /// journald's socket for native entries.
    public static let socketPath = "/run/systemd/journal/socket"

    /// What `auto` looks at, gathered in one place so the choice itself is a pure function.
    public struct Facts: Sendable, Equatable {
        /// `JOURNAL_STREAM` equals `<st_dev>:<st_ino>` of fd 2.
        public var stderrIsJournalStream: Bool
        /// fd 2 is a terminal.
        public var stderrIsTTY: Bool
        /// Something accepts datagrams on `/run/systemd/journal/socket`.
        public var journalListening: Bool
        /// `INVOCATION_ID` is set: systemd started us as (part of) a unit.
        public var underSystemd: Bool

        public init(stderrIsJournalStream: Bool, stderrIsTTY: Bool, journalListening: Bool, underSystemd: Bool) {
            self.stderrIsJournalStream = stderrIsJournalStream
            self.stderrIsTTY = stderrIsTTY
            self.journalListening = journalListening
            self.underSystemd = underSystemd
        }

        /// The facts of this process, now.
        public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> Facts {
            Facts(stderrIsJournalStream: JournalDetection.stderrIsJournalStream(environment: environment),
                  stderrIsTTY: isatty(2) == 1,
                  journalListening: JournalDetection.isListening(socketPath),
                  underSystemd: !(environment["INVOCATION_ID"] ?? "").isEmpty)
        }
    }

    /// Whether `JOURNAL_STREAM` (`<dev>:<ino>`, decimal) names the file open on fd 2.
    public static func stderrIsJournalStream(environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// Whether a datagram socket at `path` has a listener: `connect(2)` succeeds. A socket file
    /// whose journald is gone answers ECONNREFUSED; a missing one ENOENT.
    public static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) == 0 }
        }
    }
}
