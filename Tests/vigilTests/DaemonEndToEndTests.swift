import Foundation
import TestSupport
import Testing

/// `vigil run` as a process on a temporary conf.d, observed only through `/status`: files in,
/// running checks out, and only what changed is touched.
@Suite(.serialized) struct DaemonEndToEndTests {
    static let threeUptimes = """
        init_config:
        instances:
          - {tags: [one], min_collection_interval: 1}
          - {tags: [two], min_collection_interval: 1}
          - {tags: [three], min_collection_interval: 1}
        """

    static func ids(_ status: [String: Any], check: String) -> [String] {
        ((status["checks"] as? [[String: Any]]) ?? []).filter { $0["check"] as? String == check }.compactMap { $0["id"] as? String }.sorted()
    }

    static func byID(_ status: [String: Any]) -> [String: [String: Any]] {
        Dictionary(((status["checks"] as? [[String: Any]]) ?? []).map { ($0["id"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func file(_ status: [String: Any], _ path: String) -> [String: Any]? {
        ((status["config_files"] as? [[String: Any]]) ?? []).first { $0["path"] as? String == path }
    }

    @Test func newFileStartsItsInstancesAndReadyzTurnsGreen() async throws {
        let daemon = try await DaemonProcess.start()
        #expect(try daemon.get("/readyz").status == 200)
        #expect(try daemon.get("/healthz").status == 200)
        try daemon.dir.write("conf.d/uptime.yaml", Self.threeUptimes)
        let status = try await daemon.waitFor { status in
            Self.byID(status).values.filter { $0["check"] as? String == "uptime" && ($0["total_runs"] as? Int ?? 0) >= 1 }.count == 3
        }
        let checks = Self.byID(status).values.filter { $0["check"] as? String == "uptime" }
        #expect(checks.count == 3)
        #expect(checks.allSatisfy { $0["loader"] as? String == "native" && ($0["last_error"] is NSNull) })
        #expect(checks.allSatisfy { ["scheduled", "running"].contains($0["state"] as? String ?? "") })
        #expect(Set(checks.compactMap { $0["source"] as? String }) == Set((0..<3).map { "\(daemon.confDir)/uptime.yaml[\($0)]" }))
        let stopped = await daemon.terminate()
        #expect(stopped.status == 0)
    }

    /// `curl -I` and HEAD-probing load balancers get the GET's status and length, no body.
    @Test func headAnswersLikeGetWithoutABody() async throws {
        let daemon = try await DaemonProcess.start()
        for path in ["/healthz", "/readyz", "/status", "/metrics"] {
            let head = try HTTPClient.request("HEAD", daemon.address, path)
            #expect(head.status == 200, "HEAD \(path)")
            #expect(head.body.isEmpty, "HEAD \(path) has no body")
            #expect(head.headers["content-type"] != nil, "HEAD \(path)")
            if path == "/healthz" || path == "/readyz" {
                #expect(head.headers["content-length"] == "\(try daemon.get(path).body.utf8.count)", "HEAD \(path)")
            }
        }
        #expect(try HTTPClient.request("HEAD", daemon.address, "/nope").status == 404)
        #expect(await daemon.terminate().status == 0)
    }

    @Test func anInstanceInsertedAboveShiftsTheOthersSourcesWithoutRestartingThem() async throws {
        let daemon = try await DaemonProcess.start { try $0.write("conf.d/uptime.yaml", Self.threeUptimes) }
        let before = try await daemon.waitFor { Self.byID($0).values.filter { ($0["total_runs"] as? Int ?? 0) >= 1 }.count == 3 }
        let oldIDs = Self.ids(before, check: "uptime")
        try daemon.dir.write("conf.d/uptime.yaml", Self.threeUptimes.replacingOccurrences(of: "instances:\n", with: "instances:\n  - {tags: [zero]}\n"))
        let after = try await daemon.waitFor { Self.ids($0, check: "uptime").count == 4 }
        let file = "\(daemon.confDir)/uptime.yaml"
        for id in oldIDs {
            let source = Self.byID(after)[id]?["source"] as? String
            let oldIndex = (Self.byID(before)[id]?["source"] as? String).flatMap { $0.split(separator: "[").last?.dropLast() }.flatMap { Int($0) }
            #expect(source == "\(file)[\((oldIndex ?? -9) + 1)]", "\(id) moved down one place")
        }
        #expect(daemon.logLines.filter { $0.contains("\"check unscheduled\"") }.isEmpty, "nothing was restarted")
    }

    @Test func editingOneOfThreeReplacesOnlyThatInstance() async throws {
        let daemon = try await DaemonProcess.start { try $0.write("conf.d/uptime.yaml", Self.threeUptimes) }
        let before = try await daemon.waitFor { Self.byID($0).values.filter { ($0["total_runs"] as? Int ?? 0) >= 2 }.count == 3 }
        let oldIDs = Self.ids(before, check: "uptime")
        try daemon.dir.write("conf.d/uptime.yaml", Self.threeUptimes.replacingOccurrences(of: "tags: [two]", with: "tags: [deux]"))
        let after = try await daemon.waitFor { Set(Self.ids($0, check: "uptime")) != Set(oldIDs) }
        let newIDs = Self.ids(after, check: "uptime")
        #expect(Set(newIDs).intersection(oldIDs).count == 2, "two instances keep their IDs")
        #expect(Set(newIDs).subtracting(oldIDs).count == 1, "one instance is new")
        for id in Set(newIDs).intersection(oldIDs) {
            let runsBefore = Self.byID(before)[id]?["total_runs"] as? Int ?? 0
            let runsAfter = Self.byID(after)[id]?["total_runs"] as? Int ?? 0
            #expect(runsAfter >= runsBefore, "\(id) kept running (\(runsBefore) → \(runsAfter) runs), it was not restarted")
        }
        #expect(daemon.logLines.filter { $0.contains("\"check unscheduled\"") }.count == 1)
    }

    /// (A float `1.0` where there was an integer `1` would be a change of meaning: types count.)
    @Test func reformattingReorderingAndCommentsReplaceNothing() async throws {
        let daemon = try await DaemonProcess.start { try $0.write("conf.d/uptime.yaml", Self.threeUptimes) }
        let before = try await daemon.waitFor { Self.ids($0, check: "uptime").count == 3 }
        let reformatted = """
            # the same three instances, written differently
            instances:
            - min_collection_interval: 0x1   # hex one
              tags:
                - "one"
            -   {min_collection_interval: +1, tags: ['two']}
            - tags: [three]
              min_collection_interval: 1
            init_config: {}
            """
        try daemon.dir.write("conf.d/uptime.yaml", reformatted)
        let passes = (before["reconciler"] as? [String: Any])?["passes"] as? Int ?? 0
        let after = try await daemon.waitFor { (($0["reconciler"] as? [String: Any])?["passes"] as? Int ?? 0) > passes }
        #expect(Self.ids(after, check: "uptime") == Self.ids(before, check: "uptime"))
        #expect(!daemon.logLines.contains { $0.contains("\"check unscheduled\"") })
    }

    @Test func brokenFileKeepsItsInstancesAndRecoversAndDeletionUnschedules() async throws {
        let daemon = try await DaemonProcess.start { try $0.write("conf.d/uptime.yaml", Self.threeUptimes) }
        let path = daemon.confDir + "/uptime.yaml"
        let before = try await daemon.waitFor { Self.ids($0, check: "uptime").count == 3 }
        let ids = Self.ids(before, check: "uptime")

        try daemon.dir.write("conf.d/uptime.yaml", Self.threeUptimes + "\n  - {tags: [four]\n")
        let broken = try await daemon.waitFor { Self.file($0, path)?["state"] as? String == "degraded" }
        let errors = (Self.file(broken, path)?["errors"] as? [[String: Any]]) ?? []
        // The unclosed flow mapping on line 6 is found at the end of the file, line 7.
        #expect(errors.first?["line"] as? Int == 7, "\(errors)")
        #expect((errors.first?["message"] as? String)?.contains("flow mapping") == true, "\(errors)")
        #expect(Self.ids(broken, check: "uptime") == ids, "the last valid instances keep running")
        #expect(Self.byID(broken).values.allSatisfy { $0["source_state"] as? String == "degraded" })

        // Truncation seen half-way (an empty file) is invalid, not "remove everything".
        try daemon.dir.write("conf.d/uptime.yaml", "")
        let empty = try await daemon.waitFor { ((Self.file($0, path)?["errors"] as? [[String: Any]])?.first?["message"] as? String)?.contains("empty") == true }
        #expect(Self.ids(empty, check: "uptime") == ids)

        try daemon.dir.write("conf.d/uptime.yaml", Self.threeUptimes)
        let fixed = try await daemon.waitFor { Self.file($0, path)?["state"] as? String == "ok" }
        #expect(Self.ids(fixed, check: "uptime") == ids)
        #expect(daemon.logLines.contains { $0.contains("config file valid again") })

        try FileManager.default.removeItem(atPath: path)
        let gone = try await daemon.waitFor { Self.ids($0, check: "uptime").isEmpty }
        #expect(Self.ids(gone, check: "uptime").isEmpty)
        #expect(Self.file(gone, path) == nil)
    }

    @Test func invalidFileAtStartupReportsItsLineAndRunsNothing() async throws {
        let daemon = try await DaemonProcess.start { try $0.write("conf.d/uptime.yaml", "instances:\n  - tags: [a]\n    tags: [b]\n") }
        let status = try await daemon.waitFor { Self.file($0, daemon.confDir + "/uptime.yaml") != nil }
        let file = try #require(Self.file(status, daemon.confDir + "/uptime.yaml"))
        #expect(file["state"] as? String == "invalid")
        let error = try #require((file["errors"] as? [[String: Any]])?.first)
        #expect(error["line"] as? Int == 3 && error["column"] as? Int == 5)
        #expect((error["message"] as? String)?.contains("duplicate key 'tags'") == true)
        #expect(Self.ids(status, check: "uptime").isEmpty)
        #expect(status["ready"] as? Bool == true, "an invalid file does not keep Vigil from being ready")
    }

    @Test func pinnedToAMissingLoaderIsALoadErrorNamingItAndRetried() async throws {
        let daemon = try await DaemonProcess.start {
            try $0.write("conf.d/redisdb.yaml", "instances:\n  - {host: localhost, loader: nosuch}\n")
        }
        let status = try await daemon.waitFor(timeout: 15) { status in
            guard let check = ((status["checks"] as? [[String: Any]]) ?? []).first else { return false }
            return (check["load_retries"] as? Int ?? 0) >= 2
        }
        let check = try #require((status["checks"] as? [[String: Any]])?.first)
        #expect(check["state"] as? String == "load_error")
        let errors = try #require(check["loader_errors"] as? [String: String])
        #expect(errors["nosuch"]?.contains("pinned loader 'nosuch' does not exist") == true)
        #expect(check["load_retries"] as? Int ?? 0 >= 2, "retried after 1 s and 2 s")
    }

    @Test func aHungExecPluginIsKilledAtItsTimeoutWithNothingLeftBehind() async throws {
        let marker = "42\(Int.random(in: 100_000...999_999))"
        let daemon = try await DaemonProcess.start()
        // Added after start-up, so it runs at once (start-up instances spread their first runs).
        try daemon.dir.write("conf.d/hang.yaml", "instances:\n  - {command: [/bin/sh, -c, 'sleep \(marker) & sleep \(marker)'], timeout: 1, min_collection_interval: 30}\n")
        let status = try await daemon.waitFor { status in
            ((status["checks"] as? [[String: Any]])?.first?["last_error"] as? String)?.contains("timed out after 1 s") == true
        }
        let check = try #require((status["checks"] as? [[String: Any]])?.first)
        #expect((check["service_checks"] as? [[String: Any]])?.first?["status_name"] as? String == "UNKNOWN")
        try await Task.sleep(for: .milliseconds(200))
        #expect(Processes.matching(marker).isEmpty, "left behind: \(Processes.matching(marker))")
    }

    @Test func sigtermStopsWithinTheGracePeriodAndExitsZero() async throws {
        let daemon = try await DaemonProcess.start { try $0.write("conf.d/uptime.yaml", Self.threeUptimes) }
        try await daemon.waitFor { Self.ids($0, check: "uptime").count == 3 }
        let (status, seconds) = await daemon.terminate()
        #expect(status == 0)
        #expect(seconds < 5, "stopped in \(seconds) s; the grace period is 5 s")
    }

    /// A large start-up logs the first 100 instances and a summary, not one line each.
    @Test func largeStartUpsSummarizeInsteadOfFloodingTheLog() async throws {
        let daemon = try await DaemonProcess.start {
            try $0.write("conf.d/uptime.yaml", "instances:\n" + (0..<150).map { "  - {tags: [n\($0)], min_collection_interval: 60}\n" }.joined())
        }
        try await daemon.waitFor { Self.ids($0, check: "uptime").count == 150 }
        try await Task.sleep(for: .milliseconds(200))
        #expect(daemon.logLines.filter { $0.contains("\"check scheduled\"") }.count == 100)
        #expect(daemon.logLines.contains { $0.contains("50 more instances scheduled in this pass") })
    }

    @Test func apiOnAUnixSocket() async throws {
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString.prefix(8)).sock").path
        defer { try? FileManager.default.removeItem(atPath: socket) }
        let daemon = try await DaemonProcess.start(extraArguments: ["--listen", "unix:\(socket)"])
        #expect(daemon.address == "unix:\(socket)")
        #expect(try daemon.get("/readyz").status == 200)
        #expect(try daemon.status()["ready"] as? Bool == true)
    }

    /// A second daemon on the same Unix socket would unlink it and leave the first unreachable:
    /// it is refused before it schedules anything. A socket file nobody answers on is a
    /// leftover and is replaced.
    @Test func aUnixSocketInUseIsRefusedAndALeftoverIsReplaced() async throws {
        let dir = try TemporaryDirectory("vigil-socket")
        let socketPath = dir.file("api.sock")
        let first = try await DaemonProcess.start(extraArguments: ["--listen", "unix:\(socketPath)"])
        let second = try runProcess(Repository.vigilBinary, ["run", "--conf-dir", first.confDir, "--listen", "unix:\(socketPath)",
                                                             "--log-format", "json", "--state-dir", dir.file("state2")])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("unix:\(socketPath) is in use"), "\(second.stderr)")
        #expect(!second.stderr.contains("check scheduled"), "refused before scheduling: \(second.stderr)")
        #expect(try first.get("/readyz").status == 200, "the first daemon is still reachable")
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: socketPath), "SIGKILL leaves the socket file behind")
        let third = try await DaemonProcess.start(extraArguments: ["--listen", "unix:\(socketPath)"])
        #expect(try third.get("/readyz").status == 200, "the leftover socket was replaced")
        #expect(await third.terminate().status == 0)
    }

    @Test func aTCPPortInUseStopsTheStartNamingTheAddress() async throws {
        let daemon = try await DaemonProcess.start()
        let dir = try TemporaryDirectory("vigil-port")
        let second = try runProcess(Repository.vigilBinary, ["run", "--conf-dir", daemon.confDir, "--listen", daemon.address,
                                                             "--log-format", "json", "--state-dir", dir.file("state")])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("cannot listen on \(daemon.address): the port is already in use"), "\(second.stderr)")
        #expect(!second.stderr.contains("check scheduled") && !second.stderr.contains("ready:"), "\(second.stderr)")
        #expect(await daemon.terminate().status == 0)
    }

    @Test func sighupReReadsEverything() async throws {
        let daemon = try await DaemonProcess.start { try $0.write("conf.d/uptime.yaml", Self.threeUptimes) }
        let before = try await daemon.waitFor { Self.ids($0, check: "uptime").count == 3 }
        let passes = (before["reconciler"] as? [String: Any])?["passes"] as? Int ?? 0
        daemon.signal(SIGHUP)
        let after = try await daemon.waitFor { (($0["reconciler"] as? [String: Any])?["passes"] as? Int ?? 0) > passes }
        #expect(Self.ids(after, check: "uptime") == Self.ids(before, check: "uptime"))
        #expect(daemon.logLines.contains { $0.contains("SIGHUP") })
        try await Task.sleep(for: .milliseconds(300))
        let settled = (try daemon.status()["reconciler"] as? [String: Any])?["passes"] as? Int ?? 0
        #expect(settled == passes + 1, "one SIGHUP, one full pass")
    }
}

#if canImport(Glibc)
import Glibc
#endif
