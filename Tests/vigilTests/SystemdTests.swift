import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `contrib/vigil.service` run by a real, confined `systemd --user` manager
/// (Tests/Systemd/user-manager.sh, after SYSTEMD.md §5.2): readiness, status, reload, stop and
/// the watchdog, as systemd itself sees them.
@Suite(.serialized, .enabled(if: SystemdHarness.available, Comment(rawValue: SystemdHarness.unavailableReason)))
struct SystemdTests {
    @Test func theUnitFileLintsClean() throws {
        let dir = try TemporaryDirectory("vigil-unit-lint")
        let unit = try dir.write("vigil.service", try SystemdHarness.adaptedUnit(execStart: Repository.vigilBinary + " run"))
        try FileManager.default.createDirectory(atPath: dir.file("xdg"), withIntermediateDirectories: true)
        let result = try runProcess("/usr/bin/systemd-analyze", ["--user", "verify", unit],
                                    environment: ["XDG_RUNTIME_DIR": dir.file("xdg"), "PATH": "/usr/bin:/bin"])
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "\(output)")
        #expect(!output.contains("Failed to parse") && !output.contains("Unknown key"), "\(output)")
    }

    @Test func systemdSeesReadyStatusReloadStopAndTheWatchdog() async throws {
        let manager = try SystemdHarness.start()
        defer { manager.stop() }
        // Not under /tmp: the unit has PrivateTmp=yes.
        let work = try TemporaryDirectory("vigil-systemd", base: SystemdHarness.base)
        _ = try work.write("conf.d/uptime.yaml", "instances:\n  - {min_collection_interval: 1}\n")
        try FileManager.default.createDirectory(atPath: work.file("state"), withIntermediateDirectories: true)
        // The binary is copied beside the config: a clone under /tmp would be hidden from the
        // unit by PrivateTmp=yes.
        let binary = work.file("vigil")
        try FileManager.default.copyItem(atPath: Repository.vigilBinary, toPath: binary)
        let execStart = "\(binary) run --conf-dir \(work.file("conf.d")) --checks-dir \(work.file("checks.d"))"
            + " --state-dir \(work.file("state")) --listen 127.0.0.1:0 --log-format json"
        try manager.install(unit: try SystemdHarness.adaptedUnit(execStart: execStart, forUserManager: true), dropIn: """
            [Service]
            TimeoutStartSec=30s
            WatchdogSec=2
            Environment=VIGIL_TEST_FAULTS=freeze-loop-on-sigusr2
            """)

        // `start` returns only once READY=1 has arrived: the unit is running with a status line.
        let start = try manager.systemctl(["start", "vigil.service"])
        #expect(start.status == 0, "\(start.stderr)\n\(manager.journal())")
        var unit = try manager.show()
        #expect(unit["ActiveState"] == "active" && unit["SubState"] == "running", "\(unit)")
        #expect(unit["StatusText"] == "1 check running", "\(unit)")

        // The loop's own pings keep a 2 s watchdog satisfied.
        try await Task.sleep(for: .seconds(4))
        unit = try manager.show()
        #expect(unit["ActiveState"] == "active" && unit["NRestarts"] == "0", "the watchdog was fed: \(unit)")

        // Reload: RELOADING=1 … READY=1 around a full re-read; the status line follows the files.
        _ = try work.write("conf.d/broken.yaml", "instances: [\n")
        let reload = try manager.systemctl(["reload", "vigil.service"])
        #expect(reload.status == 0, "\(reload.stderr)")
        let afterReload = try await manager.waitFor { $0["SubState"] == "running" && ($0["StatusText"] ?? "").contains("invalid file") }
        #expect(afterReload["StatusText"] == "1 check running, 1 invalid file (broken.yaml:2)", "\(afterReload)")
        let reloads = manager.journal().filter { $0.contains("Reloading") || $0.contains("Reloaded") }
        #expect(reloads.count >= 2, "systemd logged the reload: \(reloads)")

        // Stop: SIGTERM, STOPPING=1, exit 0.
        let stop = try manager.systemctl(["stop", "vigil.service"])
        #expect(stop.status == 0)
        unit = try manager.show()
        #expect(unit["Result"] == "success" && unit["ExecMainStatus"] == "0" && unit["ActiveState"] == "inactive", "\(unit)")

        // A frozen reconcile loop stops the pings: systemd kills Vigil with Result=watchdog.
        #expect(try manager.systemctl(["start", "vigil.service"]).status == 0)
        #expect(try manager.systemctl(["kill", "--kill-whom=main", "-s", "SIGUSR2", "vigil.service"]).status == 0)
        let killed = try await manager.waitFor(timeout: 15) { $0["Result"] == "watchdog" }
        #expect(killed["Result"] == "watchdog", "\(killed)\n\(manager.journal().suffix(10))")
        #expect(manager.journal().contains { $0.contains("Watchdog timeout") }, "\(manager.journal().suffix(10))")
        _ = try manager.systemctl(["stop", "vigil.service"])
    }
}

/// A confined user manager, started and stopped by Tests/Systemd/user-manager.sh.
final class SystemdHarness: @unchecked Sendable {
    let dir: TemporaryDirectory
    private let script = Repository.path("Tests/Systemd/user-manager.sh")

    static let unavailableReason =
        "needs root, cgroup2 and systemd 252's /lib/systemd/systemd (Debian's systemd package); PID 1 must not be systemd"

    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/systemctl")
            && ((try? String(contentsOfFile: "/proc/1/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) != "systemd"
    }

    /// Outside /tmp (the unit's PrivateTmp= would hide the manager's notify socket and the
    /// test's conf.d from Vigil).
    static let base = "/run/vigil-tests"

    private init() throws {
        dir = try TemporaryDirectory("vigil-user-manager", base: Self.base)
    }

    static func start() throws -> SystemdHarness {
        let harness = try SystemdHarness()
        let result = try runProcess("/bin/bash", [harness.script, "start", harness.dir.path])
        guard result.status == 0 else {
            throw HarnessError("systemd --user did not start: \(result.stderr)")
        }
        return harness
    }

    func stop() {
        _ = try? runProcess("/bin/bash", [script, "stop", dir.path])
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = dir.file("xdg")
        environment["XDG_CONFIG_HOME"] = dir.file("config")
        return environment
    }

    func systemctl(_ arguments: [String]) throws -> ProcessResult {
        try runProcess("/usr/bin/systemctl", ["--user"] + arguments, environment: environment)
    }

    func install(unit: String, dropIn: String) throws {
        _ = try dir.write("config/systemd/user/vigil.service", unit)
        _ = try dir.write("config/systemd/user/vigil.service.d/test.conf", dropIn)
        let reload = try systemctl(["daemon-reload"])
        guard reload.status == 0 else { throw HarnessError("daemon-reload: \(reload.stderr)") }
    }

    func show() throws -> [String: String] {
        let result = try systemctl(["show", "vigil.service", "-p", "ActiveState,SubState,Result,StatusText,NRestarts,ExecMainStatus"])
        var properties: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            properties[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return properties
    }

    func waitFor(timeout: Double = 10, _ condition: ([String: String]) -> Bool) async throws -> [String: String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try show()
        while !condition(last), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            last = try show()
        }
        return last
    }

    /// What this manager logged about the unit (its own messages), from the journal.
    func journal() -> [String] {
        let slice = (try? String(contentsOfFile: dir.file("slice"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let result = try? runProcess("/usr/bin/journalctl", ["-q", "--no-pager", "-o", "cat", "_SYSTEMD_SLICE=\(slice)", "USER_UNIT=vigil.service"])
        return result?.stdout.split(separator: "\n").map(String.init) ?? []
    }

    /// contrib/vigil.service with the test's command line in place of the installed one.
    ///
    /// For the confined user manager, `ProtectKernelTunables=` and `ProtectControlGroups=` are
    /// left out: with either, this manager (root, in its own cgroup namespace, PID 1 not
    /// systemd) never accepts the unit's sd_notify messages, with or without Vigil — a
    /// limitation of the harness, not of the unit, which keeps both.
    static func adaptedUnit(execStart: String, forUserManager: Bool = false) throws -> String {
        let unit = try String(contentsOfFile: Repository.path("contrib/vigil.service"), encoding: .utf8)
        let harnessOnly = ["ProtectKernelTunables=", "ProtectControlGroups="]
        return unit.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            if line.hasPrefix("ExecStart=") { return "ExecStart=\(execStart)" }
            if forUserManager, harnessOnly.contains(where: { line.hasPrefix($0) }) { return nil }
            return String(line)
        }.joined(separator: "\n")
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
