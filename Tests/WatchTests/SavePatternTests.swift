import Foundation
import Testing
@testable import Watch

/// Every way a config file gets written, on a real file system with real inotify (and again in
/// polling mode): the watcher reports exactly the paths a reader must look at, and nothing else.
@Suite(.serialized) struct SavePatternTests {
    static let modes: [WatchOptions.Mode] = [.inotify, .poll(interval: .milliseconds(40))]

    @Test(arguments: modes)
    func create(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode)
        FileOps.write(h.path("redis.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("redis.yaml")]) == [h.path("redis.yaml")])
    }

    @Test(arguments: modes)
    func truncateAndRewriteInPlace(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in FileOps.write(root + "/a.yaml", "instances: [{}]\n") }
        FileOps.write(h.path("a.yaml"), "instances: [{x: 1}]\n")
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    @Test(arguments: modes)
    func append(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in FileOps.write(root + "/a.yaml", "instances:\n") }
        FileOps.append(h.path("a.yaml"), "  - {x: 1}\n")
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    /// GNU `sed -i` writes `sedXXXXXX` next to the file and renames it over.
    @Test(arguments: modes)
    func sedInPlace(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in FileOps.write(root + "/a.yaml", "instances: [{port: 1}]\n") }
        try FileOps.run("/usr/bin/sed", "-i", "s/port: 1/port: 2/", h.path("a.yaml"))
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
        #expect(try String(contentsOfFile: h.path("a.yaml"), encoding: .utf8).contains("port: 2"))
    }

    /// vim's default save (`backupcopy=auto`, `writebackup`), syscall by syscall: the `4913`
    /// probe, the file renamed to `f~` (so it is briefly absent), a new `f` written, `f~` unlinked.
    @Test(arguments: modes)
    func vimDefaultSave(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in FileOps.write(root + "/a.yaml", "instances: [{}]\n") }
        FileOps.write(h.path("4913"), "")
        FileOps.unlink(h.path("4913"))
        FileOps.rename(h.path("a.yaml"), h.path("a.yaml~"))
        FileOps.write(h.path("a.yaml"), "instances: [{edited: true}]\n")
        FileOps.unlink(h.path("a.yaml~"))
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    /// The real vim, outside /tmp (under /tmp its `backupskip` makes it write in place).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/vim")), arguments: modes)
    func realVimSave(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode, base: "/var/tmp") { root in FileOps.write(root + "/a.yaml", "instances: [{}]\n") }
        try FileOps.run("/usr/bin/vim", "-u", "NONE", "-N", "-es", "-c", "normal Go  - {b: 1}", "-c", "wq", h.path("a.yaml"))
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    @Test(arguments: modes)
    func cpOverAnExistingFile(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in FileOps.write(root + "/a.yaml", "instances: [{}]\n") }
        let source = h.dir.path + "/new.yaml"
        FileOps.write(source, "instances: [{copied: 1}]\n")
        try FileOps.run("/usr/bin/cp", source, h.path("a.yaml"))
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    @Test(arguments: modes)
    func mvInAndOut(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode)
        let outside = h.dir.path + "/staged.yaml"
        FileOps.write(outside, "instances: [{}]\n")
        try FileOps.run("/usr/bin/mv", outside, h.path("moved.yaml"))
        #expect(await h.changes(expecting: [h.path("moved.yaml")]) == [h.path("moved.yaml")])
        h.reset()
        try FileOps.run("/usr/bin/mv", h.path("moved.yaml"), outside)
        #expect(await h.changes(expecting: [h.path("moved.yaml")]) == [h.path("moved.yaml")])
    }

    @Test(arguments: modes)
    func rm(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in FileOps.write(root + "/a.yaml", "instances: [{}]\n") }
        try FileOps.run("/usr/bin/rm", h.path("a.yaml"))
        #expect(await h.changes(expecting: [h.path("a.yaml")]) == [h.path("a.yaml")])
    }

    /// A file made readable again (or unreadable) changes no byte and closes no write: only
    /// IN_ATTRIB (ctime when polling) says it must be read again.
    @Test(arguments: modes)
    func chmod(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in
            FileOps.mkdir(root + "/redis.d")
            FileOps.write(root + "/redis.d/conf.yaml", "instances: [{}]\n")
        }
        try FileOps.run("/usr/bin/chmod", "000", h.path("redis.d/conf.yaml"))
        #expect(await h.changes(expecting: [h.path("redis.d/conf.yaml")]) == [h.path("redis.d/conf.yaml")])
    }

    /// The file is written before the watcher has had any chance to watch the new directory:
    /// it is found by scanning the directory right after its watch is added.
    @Test(arguments: modes)
    func mkdirCheckDirectoryThenWriteInsideAtOnce(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode)
        FileOps.mkdir(h.path("redis.d"))
        FileOps.write(h.path("redis.d/conf.yaml"), "instances: [{}]\n")
        let expected: Set = [h.path("redis.d"), h.path("redis.d/conf.yaml")]
        #expect(await h.changes(expecting: expected) == expected)
        // And the new directory is watched from then on.
        h.reset()
        FileOps.write(h.path("redis.d/second.yaml"), "instances: [{}]\n")
        #expect(await h.changes(expecting: [h.path("redis.d/second.yaml")]) == [h.path("redis.d/second.yaml")])
    }

    @Test(arguments: modes)
    func rmRecursiveOfACheckDirectory(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode) { root in
            FileOps.mkdir(root + "/redis.d")
            FileOps.write(root + "/redis.d/a.yaml", "instances: [{}]\n")
            FileOps.write(root + "/redis.d/b.yaml", "instances: [{}]\n")
        }
        try FileOps.run("/usr/bin/rm", "-r", h.path("redis.d"))
        let expected: Set = [h.path("redis.d"), h.path("redis.d/a.yaml"), h.path("redis.d/b.yaml")]
        #expect(await h.changes(expecting: [h.path("redis.d")]).isSubset(of: expected))
        #expect(h.changedPaths.contains(h.path("redis.d")))
        #expect(h.watcher.status.roots.first?.watchedDirectories ?? 0 <= 1)
    }

    /// Editor and tool litter alone (swap files, backups, probes, other extensions) is no change.
    @Test(arguments: modes)
    func noiseIsNotAChange(_ mode: WatchOptions.Mode) async throws {
        let h = try WatchHarness(mode: mode)
        FileOps.write(h.path(".a.yaml.swp"), "x")
        FileOps.write(h.path("a.yaml~"), "x")
        FileOps.write(h.path("4913"), "")
        FileOps.write(h.path("notes.txt"), "x")
        FileOps.write(h.path("sedAbC123"), "x")
        try await Task.sleep(for: .milliseconds(300))
        #expect(h.changedPaths.isEmpty)
    }
}
