import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Vigil as PID 1 (as in a container): plugins' orphaned background processes end up as its
/// children, and it reaps them — while its own plugins' exit statuses stay theirs.
@Suite(.serialized, .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
                             "needs root and unshare(1) for a PID namespace"))
struct OrphanReaperTests {
    /// Zombie children of `pid` (any thread), from the host's /proc.
    static func zombieChildren(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let children = tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "").split(separator: " ").compactMap { Int32($0) }
        }
        return children.filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            return stat[stat.index(close, offsetBy: 2)] == "Z"
        }
    }

    @Test func asPID1VigilReapsOrphansAndKeepsItsPluginsStatuses() async throws {
        // Each run leaves a background sleep behind; the run's end kills it, orphaned.
        let daemon = try await DaemonProcess.start(launcher: ["/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM"]) { dir in
            try dir.write("conf.d/orphans.yaml", """
                instances:
                  - {command: [/bin/sh, -c, 'sleep 30 & echo "WARNING - left one behind"; exit 1'], min_collection_interval: 1}
                """)
        }
        let status = try await daemon.waitFor(timeout: 30) { status in
            ((status["checks"] as? [[String: Any]])?.first?["total_runs"] as? Int ?? 0) >= 5
        }
        let check = try #require((status["checks"] as? [[String: Any]])?.first)
        let serviceCheck = try #require((check["service_checks"] as? [[String: Any]])?.first)
        #expect(serviceCheck["status_name"] as? String == "WARNING", "the plugin's own exit status 1 reached the check")
        try await Task.sleep(for: .milliseconds(300))  // the sweep 20 ms after the last run
        let reaped = try daemon.status()["reaped_orphans"] as? Int ?? 0
        #expect(reaped >= 4, "orphans reaped: \(reaped)")
        // vigil is the unshare process's child; none of its children may be a zombie.
        let unshare = daemon.process.processIdentifier
        let vigil = (try? String(contentsOfFile: "/proc/\(unshare)/task/\(unshare)/children", encoding: .utf8))?
            .split(separator: " ").compactMap { Int32($0) }.first
        let vigilPID = try #require(vigil)
        // The fewest of five looks: a sleep killed this instant is a zombie for the 20 ms
        // before the sweep; one nobody reaps stays.
        var fewest = Int.max
        for _ in 0..<5 {
            fewest = min(fewest, Self.zombieChildren(of: vigilPID).count)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(fewest == 0, "every orphan was reaped shortly after its run")
        #expect(daemon.logLines.contains { $0.contains("running as PID 1") })
        // unshare ignores SIGTERM while it waits; the signal goes to Vigil, the namespace's init,
        // which handles it and exits 0 (unshare passes the status on).
        kill(vigilPID, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while daemon.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!daemon.process.isRunning && daemon.process.terminationStatus == 0)
    }
}
