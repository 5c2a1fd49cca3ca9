import ArgumentParser

/// `vigil-bench`: Vigil's benchmarks. Each one measures Vigil and its named baseline in the
/// same run and prints the ratio; results are recorded in BENCHMARKS.md.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-bench",
        abstract: "Benchmarks, each side by side with its baseline.",
        subcommands: [ConfigBench.self, WatchLatencyBench.self, WatchIdleBench.self, EditLatencyBench.self, ColdStartBench.self,
                      ReconcilePassBench.self, IdleCPUBench.self, ExecCostBench.self,
                      PythonRunBench.self, PythonThroughputBench.self, PythonRSSBench.self]
    )
}
