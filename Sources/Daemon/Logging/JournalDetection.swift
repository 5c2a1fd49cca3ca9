public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Is there a journal, and is stderr already connected to it? (SYSTEMD.md §4.)
///
/// `sd_journal_sendv` returns 0 even when nothing listens, so the journal is detected by its
/// socket; and `JOURNAL_STREAM` proves stderr goes to the journal only when it names the very
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
        /// `/run/systemd/journal/socket` is a socket.
        public var journalSocketExists: Bool
        /// `INVOCATION_ID` is set: systemd started us as (part of) a unit.
        public var underSystemd: Bool

        public init(stderrIsJournalStream: Bool, stderrIsTTY: Bool, journalSocketExists: Bool, underSystemd: Bool) {
            self.stderrIsJournalStream = stderrIsJournalStream
            self.stderrIsTTY = stderrIsTTY
            self.journalSocketExists = journalSocketExists
            self.underSystemd = underSystemd
        }

        /// The facts of this process, now.
        public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> Facts {
            Facts(stderrIsJournalStream: JournalDetection.stderrIsJournalStream(environment: environment),
                  stderrIsTTY: isatty(2) == 1,
                  journalSocketExists: JournalDetection.isSocket(socketPath),
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

    /// Whether `path` exists and is a socket (not following the last component's symlink).
    public static func isSocket(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return info.st_mode & mode_t(S_IFMT) == mode_t(S_IFSOCK)
    }
}
