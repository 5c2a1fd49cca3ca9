public import Foundation
import StatusServer
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

    /// Whether journald (or anything) answers on the datagram socket at `path`.
    public static func isListening(_ path: String) -> Bool {
        UnixSocketProbe.answers(path, datagram: true)
    }
}
