import Daemon
import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real systemd-journald for tests, and `journalctl` to read it back (SYSTEMD.md §5.1).
///
/// A journald already listening is reused: a second one would unlink and take over the first
/// one's sockets. "Listening" means a datagram `connect(2)` to its socket succeeds: a journald
/// that was killed (a session ending, a machine image taken while one ran) leaves the socket
/// file behind, and entries sent there are lost. Otherwise one is started, once per machine: the check-and-start is serialised
/// with `flock` on `/run/lock/vigil-journald.lock` (opened close-on-exec, so journald does not
/// inherit the lock). A journald we did not start is never stopped, and the one we start is left
/// running for the next test run. The journal is shared between runs, so queries match a value
/// unique to the run (a temporary path, an ID with a per-run tag).
enum Journald {
    static let socketPath = JournalDetection.socketPath
    static let binary = "/lib/systemd/systemd-journald"
    static let lockPath = "/run/lock/vigil-journald.lock"

    /// Why the journal tests cannot run, or nil when journald is listening (reused or started).
    /// Worked out once per test process.
    static let unavailableReason: String? = ensureRunning()

    static var isAvailable: Bool { unavailableReason == nil }

    /// `journalctl`, for queries and catalog checks.
    static let journalctl: String? = ["/usr/bin/journalctl", "/bin/journalctl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Entries matching every `FIELD=value` in `matches` (journalctl(1) match syntax), oldest
    /// first; each field's value as text (the first one when a field repeats).
    static func entries(_ matches: [String]) throws -> [[String: String]] {
        guard let journalctl else { throw HTTPClient.Failure(description: "journalctl not found") }
        let result = try runProcess(journalctl, ["-q", "--no-pager", "-o", "json"] + matches)
        guard result.status == 0 else {
            throw HTTPClient.Failure(description: "journalctl \(matches.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object.compactMapValues(text)
        }
    }

    /// Polls ``entries(_:)`` until `condition` holds or `timeout` seconds pass; returns the last
    /// answer either way, so the caller's expectations say what was missing.
    static func waitForEntries(_ matches: [String], timeout: Double = 15,
                                      until condition: ([[String: String]]) -> Bool) async throws -> [[String: String]] {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try entries(matches)
        while !condition(last), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            last = try entries(matches)
        }
        return last
    }

    /// journalctl's JSON gives a field as a string, an array of bytes (when it is not printable
    /// text) or an array of those (when the field repeats).
    private static func text(_ value: Any) -> String? {
        if let string = value as? String { return string }
        if let bytes = value as? [Int] { return String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self) }
        if let values = value as? [Any], let first = values.first { return text(first) }
        return nil
    }

    private static func ensureRunning() -> String? {
        guard geteuid() == 0 else { return "not root: starting or using systemd-journald needs root" }
        try? FileManager.default.createDirectory(atPath: "/run/lock", withIntermediateDirectories: true)
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { return "cannot open \(lockPath): \(String(cString: strerror(errno)))" }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { return "flock \(lockPath): \(String(cString: strerror(errno)))" }
        }
        if JournalDetection.isListening(socketPath) { return nil }
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            return "no journald listening on \(socketPath), and \(binary) is missing"
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-journald-\(getpid()).log").path
        let pid: pid_t
        switch spawnDetached(binary, output: log) {
        case .success(let spawned): pid = spawned
        case .failure(let error): return "could not start \(binary): \(error)"
        }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if JournalDetection.isListening(socketPath) { return nil }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(10_000)
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return "\(binary) did not listen on \(socketPath) within 5 s: \(output)"
    }

    /// Starts `path` in a session of its own, stdin from /dev/null and output to `output`, with
    /// every other descriptor closed. Not through `Process` or a shell: a daemon that inherited
    /// the pipes (or Foundation's exit-watch socket) would keep `runProcess` waiting forever,
    /// and must not hold the lock.
    private static func spawnDetached(_ path: String, output: String) -> Result<pid_t, Errno> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // posix_spawn_file_actions_addclosefrom_np and POSIX_SPAWN_SETSID are _GNU_SOURCE-only
        // and not imported: close what is open now (glibc ignores a close of an fd that is no
        // longer open, spawni.c), and spell the flag out (spawn.h: 0x80).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 && fd < getdtablesize() {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let setsid: Int16 = 0x80
        posix_spawnattr_setflags(&attributes, setsid)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        return result == 0 ? .success(pid) : .failure(Errno(code: result))
    }

    /// An errno value with its text.
    struct Errno: Error, CustomStringConvertible {
        var code: Int32
        var description: String { "\(String(cString: strerror(code))) (errno \(code))" }
    }
}
