import ArgumentParser
import Foundation
import TestSupport

/// `vigil-bench cold-start`: process start → `/readyz` 200 for a conf.d of 10,000 files with
/// 30,000 instances of native checks (every instance loaded and scheduled), against the
/// release binary.
struct ColdStartBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cold-start",
        abstract: "Start → ready with a large conf.d, against the release vigil binary.")

    @Option(help: "Files (3 instances each).")
    var files = 10_000

    @Option(help: "Repetitions; the median is reported.")
    var repeats = 3

    func run() async throws {
        var samples: [Double] = []
        var instances = 0
        let corpus = NSTemporaryDirectory() + "vigil-bench-cold-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: corpus) }
        for _ in 0..<repeats {
            _ = try CorpusGenerator.write(files: files, to: corpus, names: ["uptime", "load", "memory"], interval: 60)
            nonisolated(unsafe) var started = Date()
            let daemon = try await DaemonProcess.start(testDefaults: false) { dir in
                // Move the prepared corpus in place; the clock starts as the process is spawned.
                try FileManager.default.removeItem(atPath: dir.file("conf.d"))
                try FileManager.default.moveItem(atPath: corpus, toPath: dir.file("conf.d"))
                started = Date()
            }
            // Poll readiness as fast as it can be asked.
            while try daemon.get("/readyz").status != 200 {
                try await Task.sleep(for: .milliseconds(2))
            }
            samples.append(Date().timeIntervalSince(started))
            // "[+]30000 instances, 0 with load errors" (/status at this size is a large document).
            let verbose = try daemon.get("/readyz?verbose").body
            instances = verbose.split(separator: "\n").compactMap { line -> Int? in
                guard line.hasPrefix("[+]"), line.contains("instances") else { return nil }
                return Int(line.dropFirst(3).prefix { $0.isNumber })
            }.first ?? 0
            _ = await daemon.terminate()
        }
        let sorted = samples.sorted()
        print("| files | instances | start → /readyz 200 (median of \(repeats)) | runs |")
        print("|---|---|---|---|")
        print("| \(files) | \(instances) | \(String(format: "%.3f s", sorted[sorted.count / 2])) | \(samples.map { String(format: "%.3f", $0) }.joined(separator: ", ")) s |")
    }
}
