import ArgumentParser
import Foundation
import Runtime
import VigilConfig

#if canImport(Glibc)
import Glibc
#endif

/// `vigil-bench exec-cost`: one exec check run (spawn in its own process group, capture and
/// parse the output, submit) against a bare `posix_spawn` + `waitpid` of the same plugin with
/// its output discarded, interleaved in the same run.
struct ExecCostBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec-cost",
        abstract: "Exec check run cost vs bare posix_spawn + waitpid.")

    @Option(help: "Runs per side.")
    var runs = 1000

    @Option(help: "The plugin and its arguments.")
    var plugin = "/usr/lib/nagios/plugins/check_dummy 0 ok"

    func run() throws {
        let argv = plugin.split(separator: " ").map(String.init)
        let text = "instances:\n  - {command: [\(argv.map { "'\($0)'" }.joined(separator: ", "))], timeout: 10}\n"
        let file = CheckFileDecoder(environment: [:]).decode(Array(text.utf8), path: "bench.yaml", checkName: "bench")
        guard let spec = file.specs.first else { throw ValidationError("\(file.errors)") }
        let check = try ExecLoader().load(spec, context: LoadContext(hostname: "bench"))
        var vigil: [Double] = [], bare: [Double] = []
        for index in 0..<(runs * 2) {
            let start = DispatchTime.now()
            if index % 2 == 0 {
                let sender = Sender(policy: SenderPolicy(defaultHost: "bench"))
                try check.run(sender)
                precondition(sender.take().serviceChecks.count == 1)
                vigil.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            } else {
                bareSpawn(argv)
                bare.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            }
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("| side | runs | mean | median | vs bare (mean) |")
        print("|---|---|---|---|---|")
        print(String(format: "| bare posix_spawn + waitpid | %d | %.3f ms | %.3f ms | 1.00× |", runs, mean(bare) * 1000, median(bare) * 1000))
        print(String(format: "| Vigil exec check run | %d | %.3f ms | %.3f ms | %.2f× |", runs, mean(vigil) * 1000, median(vigil) * 1000,
                     mean(vigil) / mean(bare)))
    }

    private func bareSpawn(_ argv: [String]) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let arguments = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, arguments, environ) == 0 else { return }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
