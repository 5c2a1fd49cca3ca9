import Foundation
import TestSupport
import Testing
@testable import Watch

/// conf.d and checks.d together; a root that is itself a symlink (a mount path often is); the
/// periodic safety-net resync.
@Suite struct MultipleRootsTests {
    @Test func changesInEveryRootAreReported() async throws {
        let h = try WatchHarness { _ in } configure: { options in
            let checks = URL(fileURLWithPath: options.roots[0]).deletingLastPathComponent().path + "/checks.d"
            try? FileManager.default.createDirectory(atPath: checks, withIntermediateDirectories: false)
            options.roots.append(checks)
            options.isRelevant = { name, isDirectory in isDirectory || name.hasSuffix(".yaml") || name.hasSuffix(".py") }
        }
        let checks = h.dir.path + "/checks.d"
        FileOps.write(h.path("a.yaml"), "instances: [{}]\n")
        FileOps.write(checks + "/custom.py", "pass\n")
        let expected: Set = [h.path("a.yaml"), checks + "/custom.py"]
        #expect(await h.changes(expecting: expected) == expected)
        #expect(h.watcher.status.roots.map(\.mode) == [.inotify, .inotify])
    }

    @Test func rootThatIsASymlinkIsFollowed() async throws {
        let target = try TemporaryDirectory("vigil-watch-target")
        let h = try WatchHarness { root in
            try FileManager.default.removeItem(atPath: root)
            FileOps.symlink(target.path, root)
        }
        FileOps.write(h.path("a.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    @Test func periodicResyncIsASafetyNet() async throws {
        let h = try WatchHarness { _ in } configure: { $0.resyncInterval = .milliseconds(200) }
        #expect(await h.waitUntil { $0.resyncReasons.contains("periodic resync") })
    }
}
