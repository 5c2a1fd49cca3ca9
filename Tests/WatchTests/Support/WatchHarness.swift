import Foundation
import Synchronization
import TestSupport
import Testing
@testable import Watch

#if canImport(Glibc)
import Glibc
#endif

/// A watcher on a fresh directory, with every batch it delivers recorded.
final class WatchHarness: @unchecked Sendable {
    let dir: TemporaryDirectory
    let root: String
    let watcher: DirectoryWatcher
    let faults = WatchFaults()
    private let recorded = Recorded()
    private var consumer: Task<Void, Never>?

    /// Config-like names only, so editors' and tools' temp files are filtered as the daemon
    /// filters them: `*.yaml`, `*.yml`, and directories.
    static let yamlOnly: @Sendable (String, Bool) -> Bool = { name, isDirectory in
        isDirectory || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    init(mode: WatchOptions.Mode = .inotify, debounce: Duration = .milliseconds(30), maxDelay: Duration = .seconds(1),
         base: String? = nil, setup: (String) throws -> Void = { _ in }, configure: (inout WatchOptions) -> Void = { _ in }) throws {
        dir = try TemporaryDirectory("vigil-watch", base: base)
        root = dir.path + "/conf.d"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try setup(root)
        var options = WatchOptions(roots: [root])
        options.mode = mode
        options.debounce = debounce
        options.maxDelay = maxDelay
        options.resyncInterval = nil
        options.fallbackPollInterval = .milliseconds(50)
        options.isRelevant = Self.yamlOnly
        options.faults = faults
        configure(&options)
        watcher = try DirectoryWatcher(options: options)
        watcher.start()
        let batches = watcher.batches
        let recorded = self.recorded
        consumer = Task {
            for await batch in batches { recorded.append(batch) }
        }
    }

    deinit {
        watcher.stop()
        consumer?.cancel()
    }

    var batches: [WatchBatch] { recorded.all }

    var changedPaths: Set<String> {
        batches.reduce(into: Set<String>()) { paths, batch in
            if case .changed(let changed) = batch { paths.formUnion(changed) }
        }
    }

    var resyncReasons: [String] {
        batches.flatMap { batch -> [String] in
            if case .resync(let reasons) = batch { return reasons }
            return []
        }
    }

    func reset() { recorded.clear() }

    /// Waits until `condition` holds on what was recorded, polling, up to `timeout`.
    @discardableResult
    func waitUntil(timeout: Duration = .seconds(5), _ condition: (WatchHarness) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(self)
    }

    /// Waits for `expected` to be seen, then a little longer, and returns everything seen: the
    /// caller asserts the exact set, so anything extra must have had time to show up.
    func changes(expecting expected: Set<String>, settle: Duration = .milliseconds(250)) async -> Set<String> {
        await waitUntil { $0.changedPaths.isSuperset(of: expected) }
        try? await Task.sleep(for: settle)
        return changedPaths
    }

    func path(_ relative: String) -> String { root + "/" + relative }
}

/// Batches seen so far, shared with the consuming task.
final class Recorded: Sendable {
    private let batches = Mutex<[WatchBatch]>([])
    func append(_ batch: WatchBatch) { batches.withLock { $0.append(batch) } }
    func clear() { batches.withLock { $0 = [] } }
    var all: [WatchBatch] { batches.withLock { $0 } }
}

/// File operations at the level of system calls, so a test performs exactly the sequence an
/// editor or tool would.
enum FileOps {
    static func write(_ path: String, _ text: String, flags: Int32 = O_WRONLY | O_CREAT | O_TRUNC) {
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "open \(path): \(String(cString: strerror(errno)))")
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    static func append(_ path: String, _ text: String) { write(path, text, flags: O_WRONLY | O_APPEND) }

    static func rename(_ from: String, _ to: String) {
        precondition(Glibc.rename(from, to) == 0, "rename \(from) \(to): \(String(cString: strerror(errno)))")
    }

    static func unlink(_ path: String) { precondition(Glibc.unlink(path) == 0, "unlink \(path)") }

    static func mkdir(_ path: String) { precondition(Glibc.mkdir(path, 0o755) == 0, "mkdir \(path)") }

    static func symlink(_ target: String, _ path: String) {
        precondition(Glibc.symlink(target, path) == 0, "symlink \(path): \(String(cString: strerror(errno)))")
    }

    static func run(_ tool: String, _ arguments: String...) throws {
        let result = try runProcess(tool, arguments)
        precondition(result.status == 0, "\(tool) \(arguments) failed: \(result.stderr)")
    }

    /// Open descriptors of this process whose /proc link reads `target` (e.g. `pipe:[1234]`).
    /// Other tests run in parallel, so counting all descriptors would be noise.
    static func descriptors(linkingTo target: String) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) == target }.count
    }

    static func link(of fd: Int32) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? ""
    }

    /// inotify descriptors of this process with a watch on the directory at `path`, read from
    /// /proc/self/fdinfo (each watch is listed with its inode).
    static func inotifyDescriptors(watching path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        let inode = "ino:" + String(UInt64(info.st_ino), radix: 16) + " "
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
            guard link(of: Int32(fd) ?? -1) == "anon_inode:inotify",
                  let text = try? String(contentsOfFile: "/proc/self/fdinfo/" + fd, encoding: .utf8) else { return false }
            return text.contains(inode)
        }.count
    }
}
