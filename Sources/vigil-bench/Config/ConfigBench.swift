import ArgumentParser
import Foundation
import VigilConfig

/// `vigil-bench config`: parse + validate + digest a generated conf.d of 10,000 files, side by
/// side with PyYAML's libyaml-backed CSafeLoader reading the same files in the same run.
struct ConfigBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Config parse + digest throughput vs PyYAML CSafeLoader on a generated corpus.")

    @Option(help: "Number of files (3 instances each).")
    var files = 10_000

    @Option(help: "Timed repetitions per side; the median is reported.")
    var repeats = 5

    @Option(help: "Python with PyYAML (and libyaml) for the baseline.")
    var python = ".venv/bin/python"

    @Option(help: "Reuse or keep the corpus in this directory instead of a temporary one.")
    var corpus: String?

    func run() throws {
        let root = corpus ?? NSTemporaryDirectory() + "vigil-bench-corpus-\(getpid())"
        defer { if corpus == nil { try? FileManager.default.removeItem(atPath: root) } }
        var bytes = 0
        if !FileManager.default.fileExists(atPath: root + "/redisdb.d") {
            bytes = try CorpusGenerator.write(files: files, to: root)
        } else {
            bytes = try FileManager.default.subpathsOfDirectory(atPath: root)
                .filter { $0.hasSuffix(".yaml") }
                .reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: root + "/" + $1)[.size] as? Int) ?? 0) }
        }
        print("corpus: \(files) files, \(bytes / 1024) KiB, \(root)")

        let serial = try measure { try Self.loadAll(root, threads: 1) }
        let parallel = try measure { try Self.loadAll(root, threads: ProcessInfo.processInfo.activeProcessorCount) }
        let pythonRuns = try pyyamlRuns(root)
        let pyMedian = median(pythonRuns)

        let mib = Double(bytes) / 1_048_576
        func row(_ name: String, _ seconds: Double) -> String {
            String(format: "| %@ | %.3f s | %.0f files/s | %.1f MiB/s | %.2f× |", name, seconds, Double(files) / seconds,
                   mib / seconds, pyMedian / seconds)
        }
        print("| side | median of \(repeats) | files/s | throughput | vs PyYAML CSafeLoader |")
        print("|---|---|---|---|---|")
        print(row("PyYAML CSafeLoader (read + load)", pyMedian))
        print(row("Vigil, 1 thread (list + read + parse + validate + digest)", median(serial)))
        print(row("Vigil, \(ProcessInfo.processInfo.activeProcessorCount) threads", median(parallel)))
    }

    /// Everything a cold start does with config: discover, read, parse, validate, digest;
    /// the same library calls `vigil validate` makes.
    static func loadAll(_ root: String, threads: Int) throws -> Int {
        let listing = ConfigDiscovery.discover(roots: [root])
        let reader = CheckFileReader(decoder: CheckFileDecoder(environment: [:]))
        let files = reader.readAll(listing.files, parallelism: threads)
        let instances = files.reduce(0) { count, file in
            precondition(file.isValid, "corpus file invalid: \(file.errors)")
            return count + file.specs.count
        }
        precondition(instances == listing.files.count * 3, "expected 3 instances per file, got \(instances)")
        return instances
    }

    private func measure(_ body: () throws -> Int) throws -> [Double] {
        _ = try body()  // warm the page cache and allocator
        return try (0..<repeats).map { _ in
            let start = ContinuousClock.now
            _ = try body()
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }

    private func pyyamlRuns(_ root: String) throws -> [Double] {
        let script = """
            import json, os, sys, time, yaml
            assert yaml.__with_libyaml__, "PyYAML without libyaml"
            root, repeats = sys.argv[1], int(sys.argv[2])
            def load_all():
                n = 0
                for d in sorted(os.listdir(root)):
                    sub = os.path.join(root, d)
                    for f in sorted(os.listdir(sub)):
                        with open(os.path.join(sub, f), 'rb') as h:
                            doc = yaml.load(h.read(), Loader=yaml.CSafeLoader)
                        n += len(doc['instances'])
                return n
            load_all()
            runs = []
            for _ in range(repeats):
                t = time.perf_counter(); load_all(); runs.append(time.perf_counter() - t)
            print(json.dumps(runs))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, root, String(repeats)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let runs = try JSONSerialization.jsonObject(with: data) as? [Double] else {
            throw ValidationError("the PyYAML baseline failed (is \(python) a venv with PyYAML?)")
        }
        return runs
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
