import ArgumentParser
import Foundation
import Watch

/// `vigil-bench watch-idle`: the cost of watching many directories while nothing happens:
/// CPU over an idle period and memory, with inotify, beside the polling fallback on the same
/// tree in the same run.
struct WatchIdleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-idle",
        abstract: "CPU and memory of watching N idle directories (inotify vs polling).")

    @Option(help: "Directories to watch (subdirectories of one root).")
    var directories = 10_000

    @Option(help: "Idle seconds measured per side.")
    var seconds = 60

    func run() throws {
        let root = NSTemporaryDirectory() + "vigil-bench-idle-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        for index in 0..<(directories - 1) {
            try FileManager.default.createDirectory(atPath: root + "/c\(index).d", withIntermediateDirectories: false)
            _ = FileManager.default.createFile(atPath: root + "/c\(index).d/conf.yaml", contents: Data("instances: [{}]\n".utf8))
        }
        print("tree: 1 root + \(directories - 1) subdirectories, one file each")
        print("| mode | watched dirs | start | RSS added | kernel slab added | CPU over \(seconds) s idle | share of a core | wake-ups |")
        print("|---|---|---|---|---|---|---|---|")
        try measure(root: root, mode: .inotify, label: "inotify")
        try measure(root: root, mode: .poll(interval: .seconds(1)), label: "polling every 1 s")
    }

    private func measure(root: String, mode: WatchOptions.Mode, label: String) throws {
        var options = WatchOptions(roots: [root])
        options.mode = mode
        options.resyncInterval = nil
        let rssBefore = BenchClock.residentBytes()
        let slabBefore = BenchClock.kernelSlabBytes()
        let started = BenchClock.nanoseconds()
        let watcher = try DirectoryWatcher(options: options)
        watcher.start()
        let startup = Double(BenchClock.nanoseconds() - started) / 1e9
        let rssAdded = BenchClock.residentBytes() - rssBefore
        let slabAdded = BenchClock.kernelSlabBytes() - slabBefore
        let status = watcher.status
        let cpuBefore = BenchClock.processCPUSeconds()
        let wakeupsBefore = status.wakeups
        Thread.sleep(forTimeInterval: Double(seconds))
        let cpu = BenchClock.processCPUSeconds() - cpuBefore
        let wakeups = watcher.status.wakeups - wakeupsBefore
        watcher.stop()
        func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        print("| \(label) | \(status.roots.first?.watchedDirectories ?? 0) | \(String(format: "%.2f s", startup)) | "
              + "\(mib(rssAdded)) | \(mib(slabAdded)) | \(String(format: "%.3f s", cpu)) | "
              + "\(String(format: "%.3f%%", cpu / Double(seconds) * 100)) | \(wakeups) |")
    }
}
