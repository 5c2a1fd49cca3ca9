import ArgumentParser
import Foundation
import Runtime
import TestSupport
import VigilConfig

/// `vigil-bench python-run` and `python-throughput`: a Python check run through Vigil's
/// embedded interpreter and C aggregator, against the same check's `run()` in a tight loop of
/// the venv's own interpreter with the stub aggregator, alternating sides in the same run.
struct PythonRunBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "python-run",
        abstract: "Per-run cost of a 10-gauge Python check vs the pure-Python floor.")

    @Option(help: "Runs per side per round.")
    var runs = 20_000

    @Option(help: "Rounds (sides alternate; the median round is reported).")
    var rounds = 5

    @Option(help: "The venv (default: the repository's .venv).")
    var venv = PythonConfiguration.defaultVenv()

    func run() throws {
        let result = try PythonSides.measure(module: "ten_gauges", count: 10, runs: runs, rounds: rounds, venv: venv)
        print("| side | runs per round | per run (median of \(rounds) rounds) | vs floor |")
        print("|---|---|---|---|")
        print(String(format: "| floor: check.run() loop, stub aggregator | %d | %.2f µs | 1.00× |", runs, result.floor * 1e6))
        print(String(format: "| Vigil: PythonCheck.run → C aggregator → Sender | %d | %.2f µs | %.2f× |", runs, result.vigil * 1e6,
                     result.vigil / result.floor))
    }
}

struct PythonThroughputBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "python-throughput",
        abstract: "Submission throughput from Python into Vigil's aggregator vs the stub aggregator.")

    @Option(help: "Gauges per run.")
    var gauges = 10_000

    @Option(help: "Runs per side per round.")
    var runs = 50

    @Option(help: "Rounds (sides alternate; the median round is reported).")
    var rounds = 5

    @Option(help: "The venv (default: the repository's .venv).")
    var venv = PythonConfiguration.defaultVenv()

    func run() throws {
        let result = try PythonSides.measure(module: "many_gauges", count: gauges, runs: runs, rounds: rounds, venv: venv)
        let floorRate = Double(gauges) / result.floor, vigilRate = Double(gauges) / result.vigil
        print("| side | gauges per run | submissions/s (median of \(rounds) rounds) | vs stub |")
        print("|---|---|---|---|")
        print(String(format: "| stub aggregator (pure Python) | %d | %.0f | 1.00× |", gauges, floorRate))
        print(String(format: "| Vigil's aggregator (C bridge → Swift) | %d | %.0f | %.2f× |", gauges, vigilRate, vigilRate / floorRate))
    }
}

/// Runs both sides; seconds per run, the median round of each.
enum PythonSides {
    static func measure(module: String, count: Int, runs: Int, rounds: Int, venv: String) throws -> (floor: Double, vigil: Double) {
        let checksDir = NSTemporaryDirectory() + "vigil-bench-python-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: checksDir) }
        try BenchChecks.write(to: checksDir)
        let loader = PythonLoader.start(PythonConfiguration(venv: venv, checksDirs: [checksDir]),
                                        services: PythonHostServices(hostname: "bench", version: "bench", logLevel: .warning,
                                                                     persistentCache: PersistentCache(stateDirectory: checksDir),
                                                                     log: { _, _ in }))
        if let reason = loader.unavailableReason { throw ValidationError(reason) }
        let text = "init_config:\ninstances:\n  - {tags: ['app:bench', 'team:core'], count: \(count)}\n"
        let file = CheckFileDecoder(environment: [:]).decode(Array(text.utf8), path: "\(module).yaml", checkName: module)
        guard let spec = file.specs.first else { throw ValidationError("\(file.errors)") }
        let check = try loader.load(spec, context: LoadContext(hostname: "bench"))

        func vigilRound() throws -> Double {
            var submitted = 0
            let start = DispatchTime.now()
            for _ in 0..<runs {
                let sender = Sender(policy: SenderPolicy(defaultHost: "bench"))
                try check.run(sender)
                submitted += sender.take().metrics.count
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            guard submitted == runs * count else { throw ValidationError("Vigil side submitted \(submitted), expected \(runs * count)") }
            return seconds / Double(runs)
        }
        // The stub's generic-tag validation is skipped: the floor is the fastest the stub goes.
        var floorEnvironment = ProcessInfo.processInfo.environment
        floorEnvironment["DDEV_SKIP_GENERIC_TAGS_CHECK"] = "true"
        func floorRound() throws -> Double {
            let output = try runProcess(venv + "/bin/python", [checksDir + "/floor.py", checksDir, module, "\(runs)", "\(count)"],
                                        environment: floorEnvironment)
            let fields = output.stdout.split(whereSeparator: \.isWhitespace)
            guard output.status == 0, fields.count == 2, let seconds = Double(fields[0]), Int(fields[1]) == runs * count else {
                throw ValidationError("floor failed: \(output.stdout) \(output.stderr)")
            }
            return seconds / Double(runs)
        }
        for _ in 0..<min(runs, 200) { try check.run(Sender(policy: SenderPolicy(defaultHost: "bench"))) }  // warm up
        var floors: [Double] = [], vigils: [Double] = []
        for _ in 0..<rounds {
            floors.append(try floorRound())
            vigils.append(try vigilRound())
        }
        return (floors.sorted()[rounds / 2], vigils.sorted()[rounds / 2])
    }
}
