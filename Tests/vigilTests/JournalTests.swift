@testable import Daemon
@testable import Reconciler
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
@testable import Watch

#if canImport(Glibc)
import Glibc
#endif

/// Native journal entries: field names, `auto`, the real journald (SYSTEMD.md §5.1) fed by the
/// real `vigil run`, and the message catalog against `journalctl`.
@Suite(.serialized) struct JournalTests {
    // MARK: Pure parts

    @Test(arguments: [
        ("check_id", "VIGIL_CHECK_ID"), ("check_name", "VIGIL_CHECK_NAME"), ("config_file", "VIGIL_CONFIG_FILE"),
        ("loader", "VIGIL_LOADER"), ("state", "VIGIL_STATE"), ("error", "VIGIL_ERROR"),
        ("grace-s", "VIGIL_GRACE_S"), ("config.dir", "VIGIL_CONFIG_DIR"), ("Mixed Case", "VIGIL_MIXED_CASE"),
        ("_private", "VIGIL__PRIVATE"), ("9lives", "VIGIL_9LIVES"), ("größe", "VIGIL_GR__E"), ("", "VIGIL_"),
        (String(repeating: "k", count: 100), "VIGIL_" + String(repeating: "K", count: 58)),
    ])
    func metadataKeysBecomeValidJournalFieldNames(_ key: String, _ expected: String) {
        let name = JournalField.name(forMetadataKey: key)
        #expect(name == expected)
        #expect(JournalField.isValid(name), "journald would drop \(name) silently")
        #expect(name.utf8.count <= 64)
    }

    @Test func fieldNameRulesAreJournaldsRules() {
        for valid in ["MESSAGE", "MESSAGE_ID", "CODE_LINE", "VIGIL_CHECK_ID", "A", "A1_", String(repeating: "X", count: 64)] {
            #expect(JournalField.isValid(valid), "\(valid)")
        }
        for invalid in ["", "_PID", "_SYSTEMD_UNIT", "1ABC", "message", "VIGIL-CHECK", "VIGIL CHECK", "VIGIL_Ä", String(repeating: "X", count: 65)] {
            #expect(!JournalField.isValid(invalid), "\(invalid)")
        }
    }

    @Test func prioritiesAreSyslogLevels() {
        let expected: [(Logger.Level, Int)] = [(.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2)]
        for (level, priority) in expected { #expect(JournalField.priority(level) == priority, "\(level)") }
    }

    @Test func autoChoosesTheJournalOnlyWhenStderrIsItOrSystemdStartedUs() {
        typealias Facts = JournalDetection.Facts
        func resolve(stream: Bool = false, tty: Bool = false, socket: Bool = false, systemd: Bool = false) -> DaemonOptions.LogFormat {
            DaemonOptions.LogFormat.auto.resolved(Facts(stderrIsJournalStream: stream, stderrIsTTY: tty, journalListening: socket, underSystemd: systemd))
        }
        #expect(resolve(stream: true, socket: true) == .journal, "JOURNAL_STREAM matches fd 2")
        #expect(resolve(stream: true) == .text, "stderr is the journal but its socket is out of reach: lines, not lost entries")
        #expect(resolve(socket: true, systemd: true) == .journal, "a systemd unit with journald running")
        #expect(resolve(tty: true, socket: true, systemd: true) == .text, "a unit with a terminal (TTYPath=) keeps text")
        #expect(resolve(socket: true) == .json, "journald running, but not our parent: a container or a pipe")
        #expect(resolve(systemd: true) == .json, "no journald socket")
        #expect(resolve() == .json)
        #expect(resolve(tty: true) == .text)
        for explicit in [DaemonOptions.LogFormat.journal, .json, .text] {
            #expect(explicit.resolved(Facts(stderrIsJournalStream: true, stderrIsTTY: true, journalListening: true, underSystemd: true)) == explicit)
        }
    }

    /// A journald that was killed leaves its socket file behind; entries sent there vanish, so
    /// only a socket something listens on counts.
    @Test func aSocketFileWithoutAListenerIsNotAJournal() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/socket"
        #expect(!JournalDetection.isListening(path), "no file")
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0, "bind \(path): \(String(cString: strerror(errno)))")
        #expect(JournalDetection.isListening(path), "bound and open")
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path), "the file outlives its socket")
        #expect(!JournalDetection.isListening(path), "closed: ECONNREFUSED")
    }

    // MARK: The real journald

    /// Skips (cancels) the test with the reason when the journal cannot be used here.
    static func requireJournald() throws {
        if let reason = Journald.unavailableReason { try Test.cancel(Comment(rawValue: "journal test skipped: \(reason)")) }
    }

    @Test func handlerWritesOneEntryWithCodeLocationAndMultiLineValues() async throws {
        try Self.requireJournald()
        let run = UUID().uuidString
        var logger = Logger(label: "vigil.test") { JournalLogHandler(label: $0) }
        logger[metadataKey: "test_run"] = "\(run)"
        let traceback = "Traceback (most recent call last):\n  File \"check.py\", line 3, in check\nValueError: boom"
        let line = #line + 1
        logger.error("check run failing: \(traceback)", metadata: ["error": "\(traceback)", "check_name": "journal-test", "message_id": "\(MessageIDs.runFailing)"])

        let entries = try await Journald.waitForEntries(["VIGIL_TEST_RUN=\(run)"]) { !$0.isEmpty }
        try #require(entries.count == 1, "a multi-line message is one entry: \(entries)")
        let entry = entries[0]
        #expect(entry["MESSAGE"] == "check run failing: \(traceback)")
        #expect(entry["VIGIL_ERROR"] == traceback)
        #expect(entry["PRIORITY"] == "3")
        #expect(entry["SYSLOG_IDENTIFIER"] == "vigil")
        #expect(entry["MESSAGE_ID"] == MessageIDs.runFailing)
        #expect(entry["VIGIL_MESSAGE_ID"] == nil, "message_id becomes MESSAGE_ID, not a VIGIL_ field")
        #expect(entry["VIGIL_CHECK_NAME"] == "journal-test")
        #expect(entry["CODE_FILE"] == #fileID)
        #expect(entry["CODE_LINE"] == "\(line)")
        #expect(entry["CODE_FUNC"] == #function)
        #expect(entry["_PID"] == "\(getpid())")
    }

    static func uptime(_ run: String) -> String {
        "init_config:\ninstances:\n  - {tags: [\"journal-run:\(run)\"], min_collection_interval: 1}\n"
    }

    @Test func daemonLogsStateChangesAsJournalEntriesWithVigilFields() async throws {
        try Self.requireJournald()
        let run = UUID().uuidString
        let daemon = try await DaemonProcess.start(extraArguments: ["--log-format", "journal"]) { dir in
            try dir.write("conf.d/uptime.yaml", Self.uptime(run))
            try dir.write("conf.d/broken.yaml", "init_config:\ninstances:\n  - {tags: [unclosed]\n")
            try dir.write("conf.d/redisdb.yaml", "instances:\n  - {host: localhost, loader: nosuch, tags: [\"journal-run:\(run)\"]}\n")
        }
        let pid = "\(daemon.process.processIdentifier)"
        let status = try await daemon.waitFor { ($0["checks"] as? [[String: Any]] ?? []).count == 2 }
        let checks = status["checks"] as? [[String: Any]] ?? []
        let uptimeID = try #require(checks.first { $0["check"] as? String == "uptime" }?["id"] as? String)
        let redisID = try #require(checks.first { $0["check"] as? String == "redisdb" }?["id"] as? String)

        // Scheduled: one entry, found by its check ID (unique to this run through its tag).
        let scheduled = try await Journald.waitForEntries(["VIGIL_CHECK_ID=\(uptimeID)"]) { !$0.isEmpty }
        let first = try #require(scheduled.first, "no journal entry with VIGIL_CHECK_ID=\(uptimeID)")
        #expect(first["MESSAGE"] == "check scheduled")
        #expect(first["MESSAGE_ID"] == MessageIDs.checkScheduled)
        #expect(first["PRIORITY"] == "6")
        #expect(first["SYSLOG_IDENTIFIER"] == "vigil")
        #expect(first["VIGIL_CHECK_NAME"] == "uptime")
        #expect(first["VIGIL_CONFIG_FILE"] == daemon.confDir + "/uptime.yaml")
        #expect(first["VIGIL_LOADER"] == "native")
        #expect(first["VIGIL_INTERVAL_S"] != nil)
        #expect(first["CODE_FILE"] == "Daemon/EventLog.swift")
        #expect(Int(first["CODE_LINE"] ?? "") ?? 0 > 0)
        #expect(first["CODE_FUNC"] == "runtime(_:)")
        #expect(first["_PID"] == pid)

        // A file that does not parse: found by its path.
        let brokenPath = daemon.confDir + "/broken.yaml"
        let invalid = try await Journald.waitForEntries(["VIGIL_CONFIG_FILE=\(brokenPath)"]) { !$0.isEmpty }
        let bad = try #require(invalid.first, "no journal entry with VIGIL_CONFIG_FILE=\(brokenPath)")
        #expect(bad["MESSAGE"]?.hasPrefix("config file invalid, none of its instances run: ") == true, "\(bad)")
        #expect(bad["MESSAGE_ID"] == MessageIDs.configInvalid)
        #expect(bad["PRIORITY"] == "3")
        #expect(bad["VIGIL_STATE"] == "invalid")
        #expect(bad["VIGIL_ERROR"]?.contains("flow mapping") == true, "\(bad)")
        #expect(bad["VIGIL_ERRORS"] == "1")
        #expect(bad["CODE_FUNC"] == "reconcile(_:)")

        // An instance no loader can load.
        let failed = try await Journald.waitForEntries(["VIGIL_CHECK_ID=\(redisID)", "MESSAGE_ID=\(MessageIDs.loadFailed)"]) { !$0.isEmpty }
        let loadError = try #require(failed.first, "no load-failed entry for \(redisID)")
        #expect(loadError["PRIORITY"] == "3")
        #expect(loadError["VIGIL_STATE"] == "load_error")
        #expect(loadError["VIGIL_CHECK_NAME"] == "redisdb")
        #expect(loadError["VIGIL_ERROR"]?.contains("nosuch") == true, "\(loadError)")

        // SIGHUP is tagged where it is logged.
        daemon.signal(SIGHUP)
        let reload = try await Journald.waitForEntries(["_PID=\(pid)", "MESSAGE_ID=\(MessageIDs.reload)"]) { !$0.isEmpty }
        #expect(reload.first?["MESSAGE"] == "SIGHUP: full resync")

        // Removing the file unschedules the check: a second entry for the same ID.
        try FileManager.default.removeItem(atPath: daemon.confDir + "/uptime.yaml")
        let both = try await Journald.waitForEntries(["VIGIL_CHECK_ID=\(uptimeID)"]) { $0.contains { $0["MESSAGE_ID"] == MessageIDs.checkUnscheduled } }
        let unscheduled = try #require(both.first { $0["MESSAGE_ID"] == MessageIDs.checkUnscheduled }, "\(both)")
        #expect(unscheduled["MESSAGE"] == "check unscheduled")
        #expect(unscheduled["VIGIL_CHECK_NAME"] == "uptime")
        #expect(unscheduled["VIGIL_CONFIG_FILE"] == daemon.confDir + "/uptime.yaml", "journalctl VIGIL_CONFIG_FILE=… finds the stop too")

        // The journal is the only destination: nothing is echoed to stderr.
        #expect(!daemon.logLines.contains { $0.contains("check scheduled") || $0.contains("config file invalid") }, "\(daemon.logLines)")
        #expect(await daemon.terminate().status == 0)
    }

    @Test func daemonTagsThePollingFallbackWithItsMessageID() async throws {
        try Self.requireJournald()
        let daemon = try await DaemonProcess.start(extraArguments: ["--log-format", "journal", "--poll-interval", "100ms"])
        let entries = try await Journald.waitForEntries(["VIGIL_CONFIG_DIR=\(daemon.confDir)"]) { !$0.isEmpty }
        let polling = try #require(entries.first { $0["MESSAGE_ID"] == MessageIDs.watcherPolling }, "\(entries)")
        #expect(polling["PRIORITY"] == "4")
        #expect(polling["VIGIL_STATE"] == "polling")
        #expect(polling["VIGIL_REASON"] == "configured to poll")
        #expect(polling["_PID"] == "\(daemon.process.processIdentifier)")
        #expect(await daemon.terminate().status == 0)
    }

    @Test func watcherResyncsAreTaggedButRoutineOnesAreNotLogged() {
        let lines = CapturedLines()
        let events = EventLog(logger: Logger(label: "test") { _ in CapturingHandler(lines: lines) })
        events.watcherResync(["periodic resync"])
        events.watcherResync(["SIGHUP"])
        #expect(lines.all.isEmpty, "the safety net and SIGHUP get no watcher line")
        events.watcherResync(["periodic resync", "inotify event queue overflowed; watches rebuilt"])
        #expect(lines.all.count == 1)
        guard let line = lines.all.first else { Issue.record("no line for an overflow"); return }
        #expect(line.level == .warning)
        #expect(line.metadata[MessageIDs.metadataKey]?.description == MessageIDs.watcherResync)
        #expect(line.metadata["reason"]?.description == "inotify event queue overflowed; watches rebuilt")
    }

    /// Retries of a failing load happen on the backoff's clock (1 s doubling to 5 min): a pass
    /// that only retried is not a state change, so its summary is not an info line.
    @Test func aPassThatOnlyRetriedLoadsIsNotAnInfoLine() {
        let lines = CapturedLines()
        let events = EventLog(logger: Logger(label: "test") { _ in CapturingHandler(lines: lines) })
        func summary(scheduled: Int = 0, unscheduled: Int = 0, loadFailures: Int = 0) -> PassSummary {
            PassSummary(full: false, filesRead: 0, filesParsed: 0, scheduled: scheduled, unscheduled: unscheduled,
                        replaced: 0, unchanged: 3, loadFailures: loadFailures, duration: .milliseconds(2))
        }
        events.reconcile(.passCompleted(summary()))
        #expect(lines.all.isEmpty, "nothing happened")
        events.reconcile(.passCompleted(summary(loadFailures: 1)))
        #expect(lines.all.map(\.level) == [.debug], "a retry that failed again")
        events.reconcile(.passCompleted(summary(scheduled: 1, loadFailures: 1)))
        events.reconcile(.passCompleted(summary(unscheduled: 2)))
        #expect(lines.all.map(\.level) == [.debug, .info, .info], "passes that changed what runs")
        #expect(lines.all.last?.metadata["unscheduled"]?.description == "2")
    }

    /// No checks.d is the common case (no custom checks): not a warning at every start.
    @Test func anAbsentChecksDirIsInfoAMissingConfDirAWarning() {
        let lines = CapturedLines()
        let events = EventLog(logger: Logger(label: "test") { _ in CapturingHandler(lines: lines) }, checksDirs: ["/etc/vigil/checks.d"])
        events.watcher(WatchStatus.Root(path: "/etc/vigil/checks.d", mode: .missing, watchedDirectories: 0))
        events.watcher(WatchStatus.Root(path: "/etc/vigil/conf.d", mode: .missing, watchedDirectories: 0))
        #expect(lines.all.map(\.level) == [.info, .warning], "\(lines.all.map(\.message))")
    }

    // MARK: The catalog

    static let catalogPath = Repository.path("contrib/vigil.catalog")

    /// The IDs in `MessageIDs.swift` as written in the source, so an ID left out of `all`
    /// is caught too.
    static func idsInSource() throws -> Set<String> {
        let source = try String(contentsOfFile: Repository.path("Sources/Daemon/Logging/MessageIDs.swift"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "\"([0-9a-f]{32})\"")
        let matches = pattern.matches(in: source, range: NSRange(source.startIndex..., in: source))
        return Set(matches.compactMap { Range($0.range(at: 1), in: source).map { String(source[$0]) } })
    }

    /// The catalog's entries: ID → header lines and prose.
    static func catalogEntries() throws -> [String: [String]] {
        let text = try String(contentsOfFile: catalogPath, encoding: .utf8)
        var entries: [String: [String]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("-- ") {
                let id = String(line.dropFirst(3).prefix { $0 != " " })
                #expect(entries[id] == nil, "\(id) has two entries")
                entries[id] = []
                current = id
            } else if let current, !line.hasPrefix("#") {
                entries[current, default: []].append(line)
            }
        }
        return entries
    }

    @Test func everyMessageIDIsUniqueAndHasACatalogEntry() throws {
        let declared = MessageIDs.all.map(\.id)
        #expect(declared.count == 13, "the 12 event types of the systemd issue and the static conf dir warning")
        #expect(Set(declared).count == declared.count, "IDs are unique")
        #expect(declared.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(try Self.idsInSource() == Set(declared), "every ID in MessageIDs.swift is in MessageIDs.all")

        let entries = try Self.catalogEntries()
        #expect(Set(entries.keys) == Set(declared), "one catalog entry per ID, and no others")
        for (id, lines) in entries {
            #expect(lines.contains { $0.hasPrefix("Subject: ") }, "\(id) has a Subject")
            #expect(lines.contains("Defined-By: vigil"), "\(id)")
            #expect(lines.contains { $0.hasPrefix("Support: ") }, "\(id)")
            #expect(lines.contains { $0.hasPrefix("Documentation: ") }, "\(id)")
            #expect(lines.contains(""), "\(id): a blank line before the prose")
            #expect(lines.allSatisfy { $0.count <= 76 }, "\(id): wrapped at 76 columns")
        }
    }

    @Test(.enabled(if: Journald.journalctl != nil, "needs journalctl"))
    func catalogCompilesAndListsEveryMessageID() throws {
        let journalctl = try #require(Journald.journalctl)
        let root = try TemporaryDirectory("vigil-catalog")
        let catalogDir = root.file("usr/lib/systemd/catalog")
        try FileManager.default.createDirectory(atPath: catalogDir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.catalogPath, toPath: catalogDir + "/vigil.catalog")

        let update = try runProcess(journalctl, ["--root=\(root.path)", "--update-catalog"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(!update.stderr.contains("vigil.catalog"), "no complaints about our file: \(update.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.file("var/lib/systemd/catalog/database")))

        let list = try runProcess(journalctl, ["--root=\(root.path)", "--list-catalog"])
        #expect(list.status == 0, "\(list.stderr)")
        let listed = Set(list.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        for (name, id) in MessageIDs.all {
            #expect(listed.contains(id), "\(name) (\(id)) is not in the compiled catalog:\n\(list.stdout)")
        }
        // Each entry compiled with its subject and text.
        let dump = try runProcess(journalctl, ["--root=\(root.path)", "--dump-catalog", MessageIDs.configInvalid])
        #expect(dump.stdout.contains("Subject: Vigil could not read config file @VIGIL_CONFIG_FILE@"), "\(dump.stdout)")
        #expect(dump.stdout.contains("Defined-By: vigil"))
    }
}

/// Log events kept in memory (swift-log's advice for testing what code logs).
final class CapturedLines: Sendable {
    private let storage = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])
    func append(_ line: (level: Logger.Level, message: String, metadata: Logger.Metadata)) { storage.withLock { $0.append(line) } }
    var all: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { storage.withLock { $0 } }
}

struct CapturingHandler: LogHandler {
    let lines: CapturedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append((event.level, "\(event.message)", metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
