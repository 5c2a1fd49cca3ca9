import Foundation
import Reconciler
import TestSupport
import Testing
import VigilConfig

/// The config tree on real files: what each change does to the desired instances.
@Suite struct ConfigTreeTests {
    static let reader = CheckFileReader(decoder: CheckFileDecoder(environment: [:]))

    static func tree(_ dir: TemporaryDirectory) -> ConfigTree {
        ConfigTree(roots: [dir.path], reader: reader)
    }

    static func ids(_ tree: ConfigTree) -> [String] { tree.desired.keys.map(\.rawValue).sorted() }

    @Test func invalidFileKeepsItsLastGoodInstancesAndDeletionRemovesThem() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("redis.d/conf.yaml", "instances: [{port: 1}, {port: 2}]\n")
        let tree = Self.tree(dir)
        _ = tree.refreshAll()
        let good = Self.ids(tree)
        #expect(good.count == 2)

        try dir.write("redis.d/conf.yaml", "instances: [{port: 1}, {port: 2}\n")
        let events = tree.refresh(paths: [path])
        #expect(Self.ids(tree) == good)
        #expect(tree.fileStatuses.first?.state == .degraded)
        guard case .fileInvalid(_, let errors, let kept)? = events.first else {
            Issue.record("expected fileInvalid, got \(events)")
            return
        }
        #expect(kept == 2 && errors.first?.mark?.line == 2)

        try dir.write("redis.d/conf.yaml", "")
        _ = tree.refresh(paths: [path])
        #expect(Self.ids(tree) == good, "an empty file is invalid, not empty of instances")

        try FileManager.default.removeItem(atPath: path)
        _ = tree.refresh(paths: [path])
        #expect(tree.desired.isEmpty)
        #expect(tree.fileStatuses.isEmpty)
    }

    @Test func invalidAtStartHasNothingToKeep() throws {
        let dir = try TemporaryDirectory()
        try dir.write("x.yaml", "instances: 3\n")
        let tree = Self.tree(dir)
        _ = tree.refreshAll()
        #expect(tree.desired.isEmpty)
        #expect(tree.fileStatuses.first?.state == .invalid)
    }

    @Test func unchangedBytesAreNotParsedAgain() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.yaml", "instances: [{a: 1}]\n")
        let tree = Self.tree(dir)
        _ = tree.refreshAll()
        let events = tree.refresh(paths: [path])
        #expect(events.isEmpty)
        #expect(Self.ids(tree).count == 1)
    }

    @Test func removingACheckDirectoryRemovesItsFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("redis.d/a.yaml", "instances: [{a: 1}]\n")
        try dir.write("redis.d/b.yaml", "instances: [{b: 1}]\n")
        try dir.write("disk.yaml", "instances: [{}]\n")
        let tree = Self.tree(dir)
        _ = tree.refreshAll()
        #expect(tree.desired.count == 3)
        try FileManager.default.removeItem(atPath: dir.file("redis.d"))
        _ = tree.refresh(paths: [dir.file("redis.d")])
        #expect(Self.ids(tree).allSatisfy { $0.hasPrefix("disk:") })
    }

    @Test func defaultFilesStepAsideForExplicitOnesAndComeBack() throws {
        let dir = try TemporaryDirectory()
        try dir.write("ntp.d/conf.yaml.default", "instances: [{default: true}]\n")
        let tree = Self.tree(dir)
        _ = tree.refreshAll()
        let defaultID = Self.ids(tree)
        #expect(defaultID.count == 1)
        let explicit = try dir.write("ntp.d/conf.yaml", "instances: [{mine: true}]\n")
        _ = tree.refresh(paths: [explicit])
        #expect(Self.ids(tree).count == 1 && Self.ids(tree) != defaultID)
        try FileManager.default.removeItem(atPath: explicit)
        _ = tree.refresh(paths: [explicit])
        #expect(Self.ids(tree) == defaultID)
    }

    /// A new conf.yaml that is broken from its first byte does not stop the running default:
    /// nothing would run for the check. Once valid it takes over; broken again later, it keeps
    /// its own last good instances and the default stays aside.
    @Test func aBrokenNewFileDoesNotStopTheRunningDefault() throws {
        let dir = try TemporaryDirectory()
        try dir.write("ntp.d/conf.yaml.default", "instances: [{default: true}]\n")
        let tree = Self.tree(dir)
        _ = tree.refreshAll()
        let defaultID = Self.ids(tree)
        let explicit = try dir.write("ntp.d/conf.yaml", "instances:\n  - name: real: [\n")
        _ = tree.refresh(paths: [explicit])
        #expect(Self.ids(tree) == defaultID, "the default keeps running while conf.yaml has never been valid")
        #expect(tree.fileStatuses.first { $0.path == explicit }?.state == .invalid)
        try dir.write("ntp.d/conf.yaml", "instances: [{mine: true}]\n")
        _ = tree.refresh(paths: [explicit])
        let mine = Self.ids(tree)
        #expect(mine.count == 1 && mine != defaultID)
        try dir.write("ntp.d/conf.yaml", "instances: [\n")
        _ = tree.refresh(paths: [explicit])
        #expect(Self.ids(tree) == mine, "degraded: its last good instance, not the default")
        _ = tree.refreshAll()
        #expect(Self.ids(tree) == mine, "a full re-read agrees")
    }

    /// A name the rules refuse is reported once, as an invalid file, whether it is there at
    /// start or written later (and the watcher only names that one path).
    @Test func aRefusedCheckNameIsReportedOnceAsAnInvalidFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad-name.yaml", "instances: [{}]\n")
        let tree = Self.tree(dir)
        func invalid(_ events: [ReconcileEvent]) -> [String] {
            events.compactMap { if case .fileInvalid(let path, _, _) = $0 { return path } else { return nil } }
        }
        #expect(invalid(tree.refreshAll()) == [dir.file("bad-name.yaml")])
        #expect(invalid(tree.refreshAll()).isEmpty, "not again on the next full pass")
        let later = try dir.write("also.bad.yaml", "instances: [{}]\n")
        #expect(invalid(tree.refresh(paths: [later])) == [later])
        #expect(tree.fileStatuses.first { $0.path == later }?.state == .invalid)
        try FileManager.default.removeItem(atPath: later)
        _ = tree.refresh(paths: [later])
        #expect(!tree.fileStatuses.contains { $0.path == later }, "gone with its file")
    }

    @Test func aMissingRootKeepsEverythingItHad() throws {
        let dir = try TemporaryDirectory()
        let root = dir.file("conf.d")
        try dir.write("conf.d/x.yaml", "instances: [{a: 1}]\n")
        let tree = ConfigTree(roots: [root], reader: Self.reader)
        _ = tree.refreshAll()
        try FileManager.default.removeItem(atPath: root)
        let events = tree.refreshAll()
        #expect(tree.desired.count == 1)
        #expect(tree.missingRoots[root] != nil)
        guard case .configDirectoryMissing? = events.first else {
            Issue.record("expected configDirectoryMissing, got \(events)")
            return
        }
    }

    @Test func theSameInstanceInTwoFilesRunsOnceAndOutlivesOneOfThem() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.d/one.yaml", "instances: [{x: 1}]\n")
        let two = try dir.write("a.d/two.yaml", "instances: [{x: 1}]\n")
        let tree = Self.tree(dir)
        _ = tree.refreshAll()
        #expect(tree.desired.count == 1)
        try FileManager.default.removeItem(atPath: two)
        _ = tree.refresh(paths: [two])
        #expect(tree.desired.count == 1, "still defined in one.yaml")
        try dir.write("a.d/two.yaml", "instances: [{x: 1}]\n")
        _ = tree.refresh(paths: [two])
        try FileManager.default.removeItem(atPath: dir.file("a.d/one.yaml"))
        _ = tree.refresh(paths: [dir.file("a.d/one.yaml")])
        #expect(tree.desired.count == 1, "still defined in two.yaml")
        #expect(tree.desired.values.first?.source.path == two)
    }
}
