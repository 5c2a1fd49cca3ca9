import ArgumentParser
import Daemon
import Foundation
import Reconciler
import Runtime
import VigilConfig

/// `vigil-bench reconcile-pass`: one edit among 10,000 files (30,000 instances) → the time of
/// the reconcile pass that applies it (re-read the one file, re-plan, schedule one and stop
/// one instance on the real runtime), in-process. Beside it, a pass for a touched file whose
/// bytes did not change (the read alone) and a full resync (every file re-read).
struct ReconcilePassBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile-pass",
        abstract: "Reconcile pass time for one edit among many files.")

    @Option(help: "Files (3 instances each).")
    var files = 10_000

    @Option(help: "Edits to time.")
    var edits = 200

    func run() async throws {
        let root = NSTemporaryDirectory() + "vigil-bench-reconcile-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try CorpusGenerator.write(files: files, to: root, names: ["uptime", "load", "memory"], interval: 3600)
        let runner = CheckRunner(chain: LoaderChain([NativeLoader(), ExecLoader()]), workers: 4, hostname: "bench")
        let loop = ReconcileLoop(roots: [root], reader: CheckFileReader(decoder: CheckFileDecoder(environment: [:])),
                                 runtime: RuntimeAdapter(runner: runner))
        await loop.pass(.full("start"))
        let desired = loop.status.desiredInstances
        let target = root + "/uptime.d/conf0.yaml"
        let original = try String(contentsOfFile: target, encoding: .utf8)

        var editTimes: [Double] = [], touchTimes: [Double] = []
        for edit in 0..<edits {
            try original.replacingOccurrences(of: "port:", with: "edit: \(edit)\n    port:").write(toFile: target, atomically: false, encoding: .utf8)
            await loop.pass(ReconcileTrigger(paths: [target]))
            guard let pass = loop.status.lastPass, pass.scheduled == 3, pass.unscheduled == 3 else {
                throw ValidationError("edit \(edit) did not replace the file's 3 instances: \(String(describing: loop.status.lastPass))")
            }
            editTimes.append(seconds(pass.duration))
            await loop.pass(ReconcileTrigger(paths: [target]))
            touchTimes.append(seconds(loop.status.lastPass!.duration))
        }
        var fullTimes: [Double] = []
        for _ in 0..<5 {
            await loop.pass(.full("bench"))
            fullTimes.append(seconds(loop.status.lastPass!.duration))
        }
        await runner.shutdown(grace: .seconds(1))
        func row(_ name: String, _ samples: [Double]) -> String {
            let sorted = samples.sorted()
            return String(format: "| %@ | %d | %.3f ms | %.3f ms | %.3f ms |", name, samples.count,
                          BenchClock.percentile(sorted, 0.5) * 1000, BenchClock.percentile(sorted, 0.99) * 1000, (sorted.last ?? 0) * 1000)
        }
        print("corpus: \(files) files, \(desired) instances")
        print("| pass | passes | p50 | p99 | max |")
        print("|---|---|---|---|---|")
        print(row("one file edited (3 instances replaced)", editTimes))
        print(row("one file touched, bytes unchanged", touchTimes))
        print(row("full resync (every file re-read)", fullTimes))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
