import ArgumentParser
import Foundation
import Synchronization
import Watch

#if canImport(Glibc)
import Glibc
#endif

/// `vigil-bench watch-latency`: from a writer's close()/rename() to the batch in Vigil's
/// consumer, side by side with a bare inotify read loop (the floor), in the same run.
struct WatchLatencyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-latency",
        abstract: "Change-to-batch latency vs a bare inotify read loop.")

    @Option(help: "Writes per side with debounce 0.")
    var writes = 1000

    @Option(help: "Writes with the default debounce (100 ms each, at least).")
    var debouncedWrites = 300

    func run() throws {
        let dir = NSTemporaryDirectory() + "vigil-bench-watch-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for index in 0..<10 { write(dir + "/f\(index).yaml", "x") }

        print("| how | side | debounce | writes | p50 | p99 | max |")
        print("|---|---|---|---|---|---|---|")
        for how in ["close", "rename"] {
            let floor = try measureFloor(dir: dir, how: how, count: writes)
            let vigil = try measureVigil(dir: dir, how: how, count: writes, debounce: .zero)
            report(how, "bare inotify read loop (floor)", "-", floor)
            report(how, "Vigil DirectoryWatcher → batch", "0", vigil)
            let p99Excess = (BenchClock.percentile(vigil, 0.99) - BenchClock.percentile(floor, 0.99)) * 1000
            print("|\(how)| p99 above the floor | | | | \(String(format: "%+.3f ms", p99Excess)) | |")
        }
        let debounced = try measureVigil(dir: dir, how: "close", count: debouncedWrites, debounce: .milliseconds(100))
        report("close", "Vigil DirectoryWatcher → batch", "100 ms (default)", debounced)
    }

    private func report(_ how: String, _ side: String, _ debounce: String, _ samples: [Double]) {
        let sorted = samples.sorted()
        func ms(_ seconds: Double) -> String { String(format: "%.3f ms", seconds * 1000) }
        print("| \(how) | \(side) | \(debounce) | \(samples.count) | \(ms(BenchClock.percentile(sorted, 0.5))) | "
              + "\(ms(BenchClock.percentile(sorted, 0.99))) | \(ms(sorted.last ?? .nan)) |")
    }

    /// Performs write number `index`: rewriting an existing file in place (the event comes
    /// from close), or renaming a fully written temporary file over it. Returns the time just
    /// before the close()/rename() call, and the name the event will carry.
    private func change(dir: String, how: String, index: Int) -> (start: UInt64, name: String) {
        let name = "f\(index % 10).yaml"
        if how == "close" {
            let fd = open(dir + "/" + name, O_WRONLY | O_TRUNC | O_CLOEXEC)
            _ = "instances: [{i: \(index)}]\n".withCString { Glibc.write(fd, $0, strlen($0)) }
            let start = BenchClock.nanoseconds()
            close(fd)
            return (start, name)
        }
        write(dir + "/tmp-\(index)", "instances: [{i: \(index)}]\n")
        let start = BenchClock.nanoseconds()
        rename(dir + "/tmp-\(index)", dir + "/" + name)
        return (start, name)
    }

    private func measureFloor(dir: String, how: String, count: Int) throws -> [Double] {
        let floor = InotifyFloor(directory: dir) { $0.hasSuffix(".yaml") }
        defer { floor.stop() }
        var samples: [Double] = []
        for index in 0..<count {
            let (start, name) = change(dir: dir, how: how, index: index)
            guard let arrived = floor.waitFor(name) else { throw ValidationError("floor missed a write") }
            samples.append(Double(arrived &- start) / 1e9)
        }
        return samples
    }

    private func measureVigil(dir: String, how: String, count: Int, debounce: Duration) throws -> [Double] {
        var options = WatchOptions(roots: [dir])
        options.debounce = debounce
        options.resyncInterval = nil
        options.isRelevant = { name, isDirectory in isDirectory || name.hasSuffix(".yaml") }
        let watcher = try DirectoryWatcher(options: options)
        watcher.start()
        defer { watcher.stop() }
        let arrivals = Mutex<[String: UInt64]>([:])
        let signal = DispatchSemaphore(value: 0)
        let batches = watcher.batches
        let consumer = Task {
            for await batch in batches {
                let now = BenchClock.nanoseconds()
                if case .changed(let paths) = batch {
                    arrivals.withLock { for path in paths { $0[(path as NSString).lastPathComponent] = now } }
                    signal.signal()
                }
            }
        }
        defer { consumer.cancel() }
        var samples: [Double] = []
        for index in 0..<count {
            let (start, name) = change(dir: dir, how: how, index: index)
            var arrived: UInt64?
            while arrived == nil {
                arrived = arrivals.withLock { $0.removeValue(forKey: name) }
                if arrived == nil, signal.wait(timeout: .now() + 5) == .timedOut { throw ValidationError("Vigil missed a write") }
            }
            samples.append(Double(arrived! &- start) / 1e9)
        }
        return samples
    }

    private func write(_ path: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
}
