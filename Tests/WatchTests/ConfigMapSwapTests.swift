import Foundation
import Testing
@testable import Watch

/// Kubernetes' AtomicWriter (kubernetes/kubernetes pkg/volume/util/atomic_writer.go), step by
/// step: payload in a new `..<timestamp>` dir, `..data_tmp` symlink renamed over `..data`,
/// visible `<key> -> ..data/<key>` links created only for new keys, removed keys' links and the
/// old directory deleted. No event ever names a key whose content changed.
@Suite struct ConfigMapSwapTests {
    /// One ConfigMap volume in `root`; `payload` maps key paths (may be nested) to content.
    final class ConfigMapVolume {
        let root: String
        private var generation = 0
        private var current: String?
        private var keys: Set<String> = []

        init(root: String) { self.root = root }

        func update(_ payload: [String: String]) {
            generation += 1
            let timestamped = "..2026_11_27_00_00_0\(generation).\(1000 + generation)"
            FileOps.mkdir(root + "/" + timestamped)
            for (key, content) in payload {
                let components = key.split(separator: "/")
                var directory = root + "/" + timestamped
                for component in components.dropLast() {
                    directory += "/" + component
                    if !FileManager.default.fileExists(atPath: directory) { FileOps.mkdir(directory) }
                }
                FileOps.write(root + "/" + timestamped + "/" + key, content)
            }
            FileOps.symlink(timestamped, root + "/..data_tmp")
            FileOps.rename(root + "/..data_tmp", root + "/..data")
            let topLevel = Set(payload.keys.map { String($0.split(separator: "/")[0]) })
            for key in topLevel.subtracting(keys) { FileOps.symlink("..data/" + key, root + "/" + key) }
            for key in keys.subtracting(topLevel) { FileOps.unlink(root + "/" + key) }
            keys = topLevel
            if let current { try? FileManager.default.removeItem(atPath: root + "/" + current) }
            current = timestamped
        }
    }

    static let modes: [WatchOptions.Mode] = [.inotify, .poll(interval: .milliseconds(40))]

    @Test(arguments: modes)
    func swapIsReportedAsAChangeOfTheVisibleFiles(_ mode: WatchOptions.Mode) async throws {
        nonisolated(unsafe) var volume: ConfigMapVolume!
        let h = try WatchHarness(mode: mode) { root in
            volume = ConfigMapVolume(root: root)
            volume.update(["redis.yaml": "instances: [{port: 1}]\n", "disk.d/conf.yaml": "instances: [{}]\n"])
        }
        let visible: Set = [h.path("redis.yaml"), h.path("disk.d"), h.path("disk.d/conf.yaml")]

        volume.update(["redis.yaml": "instances: [{port: 2}]\n", "disk.d/conf.yaml": "instances: [{}]\n"])
        #expect(await h.changes(expecting: [h.path("redis.yaml")]) == visible)

        // A second swap that changes only the nested key: the subdirectory's watch followed
        // the first swap to its new target.
        h.reset()
        volume.update(["redis.yaml": "instances: [{port: 2}]\n", "disk.d/conf.yaml": "instances: [{all: true}]\n"])
        #expect(await h.changes(expecting: [h.path("disk.d/conf.yaml")]) == visible)
        if mode == .inotify {
            #expect(h.watcher.status.roots.first?.watchedDirectories == 2, "root and disk.d, no stale watches")
        }
    }

    @Test(arguments: modes)
    func addedAndRemovedKeys(_ mode: WatchOptions.Mode) async throws {
        nonisolated(unsafe) var volume: ConfigMapVolume!
        let h = try WatchHarness(mode: mode) { root in
            volume = ConfigMapVolume(root: root)
            volume.update(["a.yaml": "instances: [{}]\n"])
        }
        volume.update(["b.yaml": "instances: [{}]\n"])
        let seen = await h.changes(expecting: [h.path("a.yaml"), h.path("b.yaml")])
        #expect(seen == [h.path("a.yaml"), h.path("b.yaml")])
    }
}
