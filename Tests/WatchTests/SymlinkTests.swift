import Foundation
import TestSupport
import Testing
@testable import Watch

/// Symlinks that change behind the watcher's back: no event names them, because nothing in a
/// watched directory changed. A `<check>.d` link whose target directory is replaced, a root
/// link re-targeted, and two links to one directory (which share one inotify watch).
@Suite struct SymlinkTests {
    /// `conf.d/redis.d -> <elsewhere>/redis.d`; the target is removed, and recreated only once
    /// the watcher has seen its watch go (IN_IGNORED). conf.d itself never changes, so only the
    /// resync can find the new directory.
    @Test func resyncReattachesACheckDirectoryWhoseLinkTargetWasReplaced() async throws {
        let elsewhere = try TemporaryDirectory("vigil-watch-elsewhere")
        let target = elsewhere.path + "/redis.d"
        let h = try WatchHarness { root in
            FileOps.mkdir(target)
            FileOps.write(target + "/conf.yaml", "instances: [{}]\n")
            FileOps.symlink(target, root + "/redis.d")
        }
        #expect(h.watcher.status.roots.first?.watchedDirectories == 2)
        try FileManager.default.removeItem(atPath: target)
        #expect(await h.waitUntil { $0.watcher.status.roots.first?.watchedDirectories == 1 })
        FileOps.mkdir(target)

        h.watcher.requestResync(reason: "SIGHUP")
        #expect(await h.waitUntil { $0.resyncReasons.contains("SIGHUP") })
        #expect(await h.waitUntil { $0.watcher.status.roots.first?.watchedDirectories == 2 })
        h.reset()
        FileOps.write(target + "/after.yaml", "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("redis.d/after.yaml")]) == [h.path("redis.d/after.yaml")])
    }

    /// `conf.d/app.yaml -> /elsewhere/monitoring.yaml` (a file managed by its application or
    /// by configuration management): editing the target, in place or by rename, is a change
    /// of the link; a neighbour of the target is not.
    @Test func editingTheTargetOfALinkedFileOutsideTheRootIsAChangeOfTheLink() async throws {
        let elsewhere = try TemporaryDirectory("vigil-watch-elsewhere")
        let target = elsewhere.path + "/monitoring.yaml"
        FileOps.write(target, "instances: [{a: 1}]\n")
        let h = try WatchHarness { root in
            FileOps.mkdir(root + "/app.d")
            FileOps.symlink(target, root + "/app.d/conf.yaml")
        }
        // Links are looked for right after the watcher is ready, off the start-up path.
        #expect(await h.waitUntil { _ in FileOps.inotifyDescriptors(watching: elsewhere.path) == 1 })
        FileOps.write(elsewhere.path + "/neighbour.yaml", "x")
        FileOps.write(target, "instances: [{a: 2}]\n")
        #expect(await h.changes(expecting: [h.path("app.d/conf.yaml")]) == [h.path("app.d/conf.yaml")])
        h.reset()
        FileOps.write(target + ".tmp", "instances: [{a: 3}]\n")
        FileOps.rename(target + ".tmp", target)
        #expect(await h.changes(expecting: [h.path("app.d/conf.yaml")]) == [h.path("app.d/conf.yaml")])

        // A link made after start-up is followed too.
        h.reset()
        let second = elsewhere.path + "/second.yaml"
        FileOps.write(second, "instances: [{b: 1}]\n")
        FileOps.symlink(second, h.root + "/second.yaml")
        #expect(await h.changes(expecting: [h.path("second.yaml")]) == [h.path("second.yaml")])
        h.reset()
        FileOps.write(second, "instances: [{b: 2}]\n")
        #expect(await h.changes(expecting: [h.path("second.yaml")]) == [h.path("second.yaml")])
    }

    /// A `current -> release` deploy: `ln -s second conf.d.new && mv -T conf.d.new conf.d`.
    /// Nothing changes inside either target; the watch on the link's parent sees the rename,
    /// and the root is followed at once, with no resync asked for.
    @Test func aRootLinkRepointedByRenameIsFollowedAtOnce() async throws {
        let first = try TemporaryDirectory("vigil-watch-first")
        let second = try TemporaryDirectory("vigil-watch-second")
        FileOps.write(second.path + "/top.yaml", "instances: [{}]\n")
        let h = try WatchHarness { root in
            try FileManager.default.removeItem(atPath: root)
            FileOps.symlink(first.path, root)
        }
        FileOps.write(h.dir.path + "/unrelated.yaml", "x")
        FileOps.symlink(second.path, h.root + ".new")
        FileOps.rename(h.root + ".new", h.root)
        #expect(await h.waitUntil(timeout: .seconds(2)) { $0.resyncReasons.contains { $0.contains("now resolves to \(second.path)") } })
        #expect(!h.resyncReasons.contains("SIGHUP") && !h.resyncReasons.contains("periodic resync"))
        #expect(FileOps.inotifyDescriptors(watching: first.path) == 0, "the old target's watch is gone")
        #expect(FileOps.inotifyDescriptors(watching: second.path) == 1)
        #expect(!h.changedPaths.contains(h.dir.path + "/unrelated.yaml"), "the parent's other entries are not config")

        h.reset()
        FileOps.write(second.path + "/next.yaml", "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("next.yaml")]) == [h.path("next.yaml")])
    }

    /// `ln -sfn second conf.d` while conf.d -> first: a new link renamed over the old one, in a
    /// directory nobody watches. The resync notices the new realpath and rebuilds the watches.
    @Test func resyncFollowsARootLinkThatWasRetargeted() async throws {
        let first = try TemporaryDirectory("vigil-watch-first")
        let second = try TemporaryDirectory("vigil-watch-second")
        FileOps.mkdir(second.path + "/redis.d")
        let h = try WatchHarness { root in
            try FileManager.default.removeItem(atPath: root)
            FileOps.symlink(first.path, root)
        }
        #expect(FileOps.inotifyDescriptors(watching: first.path) == 1)
        FileOps.symlink(second.path, h.root + ".new")
        FileOps.rename(h.root + ".new", h.root)

        h.watcher.requestResync(reason: "SIGHUP")
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("now resolves to") } })
        #expect(h.resyncReasons.contains("SIGHUP"))
        let status = h.watcher.status.roots.first
        #expect(status?.mode == .inotify && status?.watchedDirectories == 2, "\(String(describing: status))")
        #expect(FileOps.inotifyDescriptors(watching: first.path) == 0, "the old target's watch is gone")
        #expect(FileOps.inotifyDescriptors(watching: second.path) == 1)

        h.reset()
        FileOps.write(first.path + "/old.yaml", "instances: [{}]\n")
        FileOps.write(second.path + "/top.yaml", "instances: [{}]\n")
        FileOps.write(second.path + "/redis.d/conf.yaml", "instances: [{}]\n")
        let expected: Set = [h.path("top.yaml"), h.path("redis.d/conf.yaml")]
        #expect(await h.changes(expecting: expected) == expected)
    }

    /// inotify returns the same watch descriptor for both links. An event is reported under
    /// every path that leads to the directory, and removing one link keeps the watch the other
    /// still needs; removing the last one removes the watch.
    @Test func twoLinksToOneDirectoryBothReportAndKeepTheSharedWatch() async throws {
        let elsewhere = try TemporaryDirectory("vigil-watch-shared")
        let target = elsewhere.path + "/shared.d"
        let h = try WatchHarness { root in
            FileOps.mkdir(target)
            FileOps.symlink(target, root + "/a.d")
            FileOps.symlink(target, root + "/b.d")
        }
        #expect(h.watcher.status.roots.first?.watchedDirectories == 3)
        #expect(FileOps.inotifyDescriptors(watching: target) == 1)
        FileOps.write(target + "/x.yaml", "instances: [{}]\n")
        let both: Set = [h.path("a.d/x.yaml"), h.path("b.d/x.yaml")]
        #expect(await h.changes(expecting: both) == both)

        h.reset()
        FileOps.unlink(h.path("b.d"))
        #expect(await h.waitUntil { $0.changedPaths.contains($0.path("b.d")) })
        #expect(h.watcher.status.roots.first?.watchedDirectories == 2)
        h.reset()
        FileOps.write(target + "/y.yaml", "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("a.d/y.yaml")]) == [h.path("a.d/y.yaml")])

        FileOps.unlink(h.path("a.d"))
        #expect(await h.waitUntil { $0.watcher.status.roots.first?.watchedDirectories == 1 })
        #expect(FileOps.inotifyDescriptors(watching: target) == 0, "the last link took the watch with it")
    }
}
