import Foundation
import TestSupport
import Testing
@testable import Watch

#if canImport(Glibc)
import Glibc
#endif

/// Roots that vanish, floods of files, the faults the kernel cannot be made to produce on
/// demand (through the seam), debouncing bounds, and resource hygiene.
@Suite struct WatcherLifecycleTests {
    @Test func rootDeletedAndRecreatedIsWaitedForAndResynced() async throws {
        let h = try WatchHarness { root in FileOps.write(root + "/a.yaml", "instances: [{}]\n") }
        try FileManager.default.removeItem(atPath: h.root)
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("was removed") } })
        #expect(await h.waitUntil { $0.watcher.status.roots.first?.mode == .missing })

        try FileManager.default.createDirectory(atPath: h.root, withIntermediateDirectories: false)
        FileOps.write(h.path("b.yaml"), "instances: [{}]\n")
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("appeared") } })
        #expect(await h.waitUntil { $0.watcher.status.roots.first?.mode == .inotify })

        h.reset()
        FileOps.write(h.path("c.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("c.yaml")]) == [h.path("c.yaml")])
    }

    @Test func rootMissingAtStartIsWaitedFor() async throws {
        let h = try WatchHarness { root in try FileManager.default.removeItem(atPath: root) }
        #expect(h.watcher.status.roots.first?.mode == .missing)
        try FileManager.default.createDirectory(atPath: h.root, withIntermediateDirectories: false)
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("appeared") } })
        h.reset()
        FileOps.write(h.path("late.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("late.yaml")]) == [h.path("late.yaml")])
    }

    @Test func rootMovedAwayIsTreatedAsGone() async throws {
        let h = try WatchHarness()
        FileOps.rename(h.root, h.dir.path + "/elsewhere")
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("moved away") } })
        // Writes in the moved directory are no longer reported under the old name.
        FileOps.write(h.dir.path + "/elsewhere/x.yaml", "instances: [{}]\n")
        try await Task.sleep(for: .milliseconds(150))
        #expect(h.changedPaths.isEmpty)
    }

    @Test func thousandFilesInABurstArriveInAFewBatchesWithEveryPath() async throws {
        let h = try WatchHarness()
        // Written back to back (about 0.1 s here), far faster than any debounce window.
        var expected = Set<String>()
        for index in 0..<1000 {
            let path = h.path("burst\(index).yaml")
            FileOps.write(path, "instances: [{i: \(index)}]\n")
            expected.insert(path)
        }
        #expect(await h.changes(expecting: expected) == expected)
        #expect(h.batches.count <= 5, "\(h.batches.count) batches")
        #expect(h.watcher.status.overflows == 0)
    }

    @Test func overflowRebuildsTheWatchesAndAsksForAResync() async throws {
        let h = try WatchHarness { root in FileOps.mkdir(root + "/redis.d") }
        #expect(FileOps.inotifyDescriptors(watching: h.root) == 1)
        h.faults.injectOverflow()
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("overflowed") } })
        let status = h.watcher.status
        #expect(status.overflows == 1 && status.rebuilds == 1)
        #expect(status.roots.first?.watchedDirectories == 2)
        #expect(FileOps.inotifyDescriptors(watching: h.root) == 1, "the old inotify fd was closed")
        h.reset()
        FileOps.write(h.path("redis.d/after.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("redis.d/after.yaml")]) == [h.path("redis.d/after.yaml")])
    }

    @Test func runningOutOfWatchesFallsBackToPollingAndStillSeesChanges() async throws {
        let h = try WatchHarness()
        h.faults.failAddWatch(under: h.path("new.d"), errno: ENOSPC)
        FileOps.mkdir(h.path("new.d"))
        #expect(await h.waitUntil {
            if case .polling(let reason) = $0.watcher.status.roots.first?.mode { return reason.contains("max_user_watches") }
            return false
        })
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("max_user_watches") } })
        h.reset()
        FileOps.write(h.path("new.d/conf.yaml"), "instances: [{}]\n")
        FileOps.write(h.path("top.yaml"), "instances: [{}]\n")
        let expected: Set = [h.path("new.d/conf.yaml"), h.path("top.yaml")]
        #expect(await h.changes(expecting: expected).isSuperset(of: expected))

        // Once watches are available again, the next resync (periodic, or SIGHUP) returns to inotify.
        h.faults.failAddWatch(under: h.path("new.d"), errno: nil)
        h.watcher.requestResync(reason: "SIGHUP")
        #expect(await h.waitUntil { $0.watcher.status.roots.first?.mode == .inotify })
        #expect(h.watcher.status.roots.first?.watchedDirectories == 2)
    }

    @Test func inotifyUnavailableAtStartPollsFromTheStart() async throws {
        let h = try WatchHarness { _ in } configure: { options in
            options.faults?.failAddWatch(under: options.roots[0], errno: EMFILE)
        }
        guard case .polling(let reason) = h.watcher.status.roots.first?.mode else {
            Issue.record("expected polling, got \(String(describing: h.watcher.status.roots.first?.mode))")
            return
        }
        #expect(reason.contains("Too many open files"))
        // Falling back asks for a resync (a resync absorbs any paths in its window).
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("Too many open files") } })
        h.reset()
        FileOps.write(h.path("a.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    /// No inotify instance at all (EMFILE from `inotify_init1`, through the seam): every root
    /// polls, each resync tries again, and the first one that succeeds switches back to inotify.
    @Test func inotifyInitFailingAtStartIsRetriedAtEachResync() async throws {
        let h = try WatchHarness { root in FileOps.mkdir(root + "/redis.d") } configure: { options in
            options.faults?.failInotifyInit(errno: EMFILE)
        }
        guard case .polling(let reason) = h.watcher.status.roots.first?.mode else {
            Issue.record("expected polling, got \(String(describing: h.watcher.status.roots.first?.mode))")
            return
        }
        #expect(reason.contains("inotify_init1") && reason.contains("Too many open files"), "\(reason)")
        #expect(FileOps.inotifyDescriptors(watching: h.root) == 0)

        // Still failing: the resync keeps polling, with the same reason.
        h.watcher.requestResync(reason: "first SIGHUP")
        #expect(await h.waitUntil { $0.resyncReasons.contains("first SIGHUP") })
        #expect(h.watcher.status.roots.first?.mode == .polling(reason: reason))

        h.faults.failInotifyInit(errno: nil)
        h.watcher.requestResync(reason: "second SIGHUP")
        #expect(await h.waitUntil { $0.resyncReasons.contains { $0.contains("inotify available again") } })
        let status = h.watcher.status.roots.first
        #expect(status?.mode == .inotify && status?.watchedDirectories == 2, "\(String(describing: status))")
        #expect(FileOps.inotifyDescriptors(watching: h.root) == 1)

        h.reset()
        FileOps.write(h.path("redis.d/after.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("redis.d/after.yaml")]) == [h.path("redis.d/after.yaml")])
    }

    /// The writer never pauses for the 100 ms quiet window, so only the maximum delay can
    /// deliver a batch while it is still writing.
    @Test func steadyWriterIsStillDeliveredByTheMaximumDelay() async throws {
        let h = try WatchHarness(debounce: .milliseconds(100), maxDelay: .milliseconds(250))
        let start = ContinuousClock.now
        while h.batches.isEmpty, ContinuousClock.now - start < .seconds(5) {
            FileOps.write(h.path("busy.yaml"), "instances: [{t: 1}]\n")
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(!h.batches.isEmpty, "no batch while the writer kept writing")
    }

    @Test func resyncOnRequest() async throws {
        let h = try WatchHarness()
        h.watcher.requestResync(reason: "SIGHUP")
        #expect(await h.waitUntil { $0.resyncReasons == ["SIGHUP"] })
    }

    @Test func idleWatcherNeverWakesUp() async throws {
        let h = try WatchHarness { root in
            for index in 0..<20 { FileOps.mkdir(root + "/c\(index).d") }
        }
        try await Task.sleep(for: .milliseconds(100))
        let before = h.watcher.status.wakeups
        try await Task.sleep(for: .seconds(1))
        #expect(h.watcher.status.wakeups == before)
        #expect(h.batches.isEmpty)
    }

    @Test func startingAndStoppingLeaksNoDescriptors() throws {
        let dir = try TemporaryDirectory("vigil-watch-fds")
        for index in 0..<5 { FileOps.mkdir(dir.path + "/c\(index).d") }
        var pipes: [String] = []
        for _ in 0..<100 {
            let watcher = try DirectoryWatcher(options: WatchOptions(roots: [dir.path]))
            watcher.start()
            #expect(FileOps.inotifyDescriptors(watching: dir.path) == 1)
            pipes.append(FileOps.link(of: watcher.wakeDescriptor))
            watcher.stop()
            #expect(FileOps.inotifyDescriptors(watching: dir.path) == 0, "inotify fd closed on stop")
        }
        // The watchers are gone: none of their wake pipes is open any more.
        #expect(pipes.allSatisfy { $0.hasPrefix("pipe:[") })
        #expect(pipes.map { FileOps.descriptors(linkingTo: $0) }.reduce(0, +) == 0)
    }

    @Test func batchesEndWhenTheWatcherStops() async throws {
        let dir = try TemporaryDirectory("vigil-watch-end")
        let watcher = try DirectoryWatcher(options: WatchOptions(roots: [dir.path]))
        watcher.start()
        let consumer = Task { for await _ in watcher.batches {}; return true }
        watcher.stop()
        #expect(await consumer.value)
    }
}
