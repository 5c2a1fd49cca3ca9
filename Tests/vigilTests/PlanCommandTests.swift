import Foundation
@testable import Reconciler
import TestSupport
import Testing
import VigilConfig
@testable import vigil

/// `vigil plan`, run as the real binary against a real daemon that does not see edits (it
/// polls once an hour), so the plan shows what the next pass would do.
@Suite struct PlanCommandTests {
    static func vigil(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ValidateCommandTests.vigil(arguments, environment: environment)
    }

    static let uptimes = "instances:\n  - {tags: [one]}\n  - {tags: [two]}\n  - {tags: [three]}\n"

    /// A daemon whose edits wait for the next hourly poll: what is on disk and what runs
    /// differ for as long as the test needs.
    static func frozenDaemon() async throws -> DaemonProcess {
        let daemon = try await DaemonProcess.start(extraArguments: ["--poll-interval", "1h"]) { dir in
            try dir.write("conf.d/uptime.yaml", uptimes)
            try dir.write("conf.d/load.yaml", "instances:\n  - {}\n")
        }
        try await daemon.waitFor { (($0["checks"] as? [[String: Any]]) ?? []).count == 4 }
        return daemon
    }

    static func ids(_ daemon: DaemonProcess, _ check: String) throws -> [String: String] {
        var bySource: [String: String] = [:]
        for entry in try daemon.checks() where entry["check"] as? String == check {
            bySource[entry["source"] as? String ?? "?"] = entry["id"] as? String
        }
        return bySource
    }

    @Test func nothingChangedExitsZero() async throws {
        let daemon = try await Self.frozenDaemon()
        let result = try Self.vigil(["plan", "--conf-dir", daemon.confDir, "--address", daemon.address])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Plan: 0 to schedule, 0 to replace, 0 to unschedule, 4 unchanged.\n"))
        #expect(result.stdout.contains("No changes"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    /// The daemon was given an absolute conf dir; the operator runs plan from beside it with a
    /// relative one. Same files, same plan.
    @Test func aRelativeConfDirNamesTheSameFiles() async throws {
        let daemon = try await Self.frozenDaemon()
        try daemon.dir.write("conf.d/broken.yaml", "instances: [\n")
        let result = try runProcess(Repository.vigilBinary, ["plan", "--conf-dir", "./conf.d/", "--address", daemon.address],
                                    currentDirectory: daemon.dir.path)
        #expect(result.stdout.contains("Plan: 0 to schedule, 0 to replace, 0 to unschedule, 4 unchanged.\n"), "\(result.stdout)")
        #expect(!result.stderr.contains("does not watch"), "\(result.stderr)")
        #expect(result.stdout.contains("broken.yaml"), "the invalid file is named: \(result.stdout)")
        #expect(result.stdout.contains("No changes to what runs, but 1 path is not valid (above)"), "\(result.stdout)")
        #expect(result.status == 0, "nothing would change in what runs")
    }

    @Test func editsShowAsScheduledReplacedAndUnscheduledAndExitOne() async throws {
        let daemon = try await Self.frozenDaemon()
        let uptime = daemon.confDir + "/uptime.yaml", load = daemon.confDir + "/load.yaml"
        let before = try Self.ids(daemon, "uptime")
        let loadID = try #require(try Self.ids(daemon, "load")["\(load)[0]"])
        try daemon.dir.write("conf.d/uptime.yaml", Self.uptimes.replacingOccurrences(of: "[two]", with: "[deux]") + "  - {tags: [four]}\n")
        try FileManager.default.removeItem(atPath: load)

        // VIGIL_CONF_DIR and VIGIL_LISTEN stand in for the flags, as for `vigil run`.
        let result = try Self.vigil(["plan"], environment: ["VIGIL_CONF_DIR": daemon.confDir, "VIGIL_LISTEN": daemon.address])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let old = try #require(before["\(uptime)[1]"])
        #expect(lines.contains { $0.hasPrefix("~ replaced    \(old) -> uptime:") && $0.hasSuffix("  \(uptime)[1]") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("+ scheduled   uptime:") && $0.hasSuffix("  \(uptime)[3]") }, "\(lines)")
        #expect(lines.contains("- unscheduled \(loadID)  \(load)[0]"), "\(lines)")
        #expect(lines.last == "Plan: 1 to schedule, 1 to replace, 1 to unschedule, 2 unchanged.")
        #expect(!lines.contains { $0.hasPrefix("> moved") }, "nothing moved")
        #expect(try daemon.checks().count == 4, "plan applies nothing")
    }

    @Test func anInvalidFileShowsItsErrorsAndKeepsItsInstances() async throws {
        let daemon = try await Self.frozenDaemon()
        let uptime = try daemon.dir.write("conf.d/uptime.yaml", "instances:\n  - {tags: [one]}\n  - tags: [a]\n    tags: [b]\n")
        let result = try Self.vigil(["plan", "--conf-dir", daemon.confDir, "--address", daemon.address])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("! \(uptime) is invalid: its running instances are kept\n"))
        #expect(result.stdout.contains("    \(uptime):4:5: ") && result.stdout.contains("duplicate key 'tags'"), "\(result.stdout)")
        #expect(result.stdout.contains("Plan: 0 to schedule, 0 to replace, 0 to unschedule, 1 unchanged, 3 kept from invalid files.\n"))
    }

    @Test func aMovedInstanceIsShownButIsNoChange() async throws {
        let daemon = try await Self.frozenDaemon()
        let uptime = daemon.confDir + "/uptime.yaml"
        let before = try Self.ids(daemon, "uptime")
        let three = try #require(before["\(uptime)[2]"])
        try daemon.dir.write("conf.d/uptime.yaml", "instances:\n  - {tags: [three]}\n  - {tags: [one]}\n  - {tags: [two]}\n")
        let result = try Self.vigil(["plan", "--conf-dir", daemon.confDir, "--address", daemon.address])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("> moved       \(three)  \(uptime)[2] -> \(uptime)[0]\n"), "\(result.stdout)")
        #expect(result.stdout.contains("Plan: 0 to schedule, 0 to replace, 0 to unschedule, 4 unchanged.\n"))
    }

    @Test func anUnreachableDaemonExitsTwo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/uptime.yaml", "instances: [{}]\n")
        let result = try Self.vigil(["plan", "--conf-dir", dir.file("conf.d"), "--address", "127.0.0.1:1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot reach the Vigil daemon at 127.0.0.1:1"))
        #expect(result.stdout.isEmpty)
    }

    // MARK: - The pure preview

    static func specs(_ yaml: String, path: String, check: String = "uptime") -> [CheckSpec] {
        CheckFileDecoder(environment: [:]).decode(Array(yaml.utf8), path: path, checkName: check).specs
    }

    @Test func previewTable() throws {
        let a = Self.specs("instances:\n  - {tags: [one]}\n  - {tags: [two]}\n", path: "/c/uptime.yaml")
        let edited = Self.specs("instances:\n  - {tags: [one]}\n  - {tags: [deux]}\n", path: "/c/uptime.yaml")
        let other = Self.specs("instances: [{}]\n", path: "/c/load.yaml", check: "load")
        func running(_ specs: [CheckSpec]) -> [CheckID: ConfigSource] { Dictionary(uniqueKeysWithValues: specs.map { ($0.id, $0.source) }) }
        func desired(_ specs: [CheckSpec]) -> [CheckID: CheckSpec] { Dictionary(uniqueKeysWithValues: specs.map { ($0.id, $0) }) }
        let invalid = ConfigFileStatus(path: "/c/uptime.yaml", checkName: "uptime", state: .invalid,
                                       errors: [ConfigIssue(path: "/c/uptime.yaml", mark: nil, message: "bad")], warnings: [], instances: [])

        struct Row { var desired: [CheckSpec]; var files: [ConfigFileStatus]; var missing: [String: String]; var running: [CheckSpec]
                     var schedule: Int; var replace: Int; var unschedule: Int; var unchanged: Int; var kept: Int }
        let rows: [Row] = [
            Row(desired: a, files: [], missing: [:], running: a, schedule: 0, replace: 0, unschedule: 0, unchanged: 2, kept: 0),
            Row(desired: edited, files: [], missing: [:], running: a, schedule: 1, replace: 1, unschedule: 1, unchanged: 1, kept: 0),
            Row(desired: a, files: [], missing: [:], running: a + other, schedule: 0, replace: 0, unschedule: 1, unchanged: 2, kept: 0),
            Row(desired: a + other, files: [], missing: [:], running: a, schedule: 1, replace: 0, unschedule: 0, unchanged: 2, kept: 0),
            Row(desired: other, files: [invalid], missing: [:], running: a + other, schedule: 0, replace: 0, unschedule: 0, unchanged: 1, kept: 2),
            Row(desired: [], files: [], missing: ["/c": "No such file or directory"], running: a, schedule: 0, replace: 0, unschedule: 0,
                unchanged: 0, kept: 2),
        ]
        for (index, row) in rows.enumerated() {
            let preview = PlanPreview.make(desired: desired(row.desired), files: row.files, missingRoots: row.missing, running: running(row.running))
            #expect(preview.plan.schedule.count == row.schedule, "row \(index)")
            #expect(preview.plan.replacements.count == row.replace, "row \(index)")
            #expect(preview.plan.unschedule.count == row.unschedule, "row \(index)")
            #expect(preview.plan.unchanged == row.unchanged, "row \(index)")
            #expect(preview.kept.count == row.kept, "row \(index)")
            #expect(preview.changes == (row.schedule + row.unschedule > 0), "row \(index)")
        }
    }

    @Test(arguments: [
        ("/c/uptime.yaml[0]", "/c/uptime.yaml", 0),
        ("/c/we[ird].yaml[12]", "/c/we[ird].yaml", 12),
    ])
    func sourcesParseFromStatus(text: String, path: String, index: Int) {
        #expect(PlanCommand.source(text) == ConfigSource(path: path, index: index))
    }

    @Test func malformedSourcesAreRefused() {
        #expect(PlanCommand.source("/c/uptime.yaml") == nil)
        #expect(PlanCommand.source("/c/uptime.yaml[x]") == nil)
    }
}
