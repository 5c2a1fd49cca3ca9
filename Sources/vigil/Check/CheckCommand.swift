import ArgumentParser
import Daemon
import Foundation
import Logging
import Runtime
import VigilConfig

/// `vigil check NAME`: runs one check's instances in-process, without a daemon, and prints what
/// they submitted and their stats, like `agent check`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run a check's instances now and print what they submit.",
        discussion: "Exit status: 0 when every run succeeded, 1 when a run failed or an instance could not be loaded, 2 on a usage error."
    )

    @Argument(help: "The check name (the <check>.d directory or <check>.yaml file).")
    var name: String

    @Option(name: .customLong("conf-dir"), help: "A conf.d directory; repeatable. (env: VIGIL_CONF_DIR; default /etc/vigil/conf.d)")
    var confDirs: [String] = []

    @Option(name: .customLong("checks-dir"), help: "A directory of custom Python checks; repeatable. (env: VIGIL_CHECKS_DIR; default /etc/vigil/checks.d)")
    var checksDirs: [String] = []

    @Option(name: .customLong("python-venv"), help: "The Python virtual environment. (env: VIGIL_PYTHON_VENV; default ./.venv if present, else /opt/vigil/venv)")
    var pythonVenv: String?

    @Option(help: "Runs per instance.")
    var times = 1

    @Option(help: "Milliseconds between runs.")
    var pause = 1000

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard times >= 1 else { throw ValidationError("--times must be at least 1") }
        guard pause >= 0 else { throw ValidationError("--pause must not be negative") }
        if let problem = CheckName.problem(with: name) { throw ValidationError(problem) }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let roots = confDirs.isEmpty ? (environment["VIGIL_CONF_DIR"].map { $0.split(separator: ":").map(String.init) } ?? ["/etc/vigil/conf.d"]) : confDirs
        let listing = ConfigDiscovery.discover(roots: roots)
        let entries = listing.files.filter { $0.checkName == name }
        guard !entries.isEmpty else {
            FileHandleOutput.standardError.write("Error: no config for check '\(name)' in \(roots.joined(separator: ", ")) (looked for \(name).d/*.yaml and \(name).yaml)\n")
            throw ExitCode(1)
        }
        let reader = CheckFileReader(decoder: CheckFileDecoder(environment: environment))
        let files = reader.readAll(entries)
        var failed = false
        for file in files where !file.isValid {
            for error in file.errors { FileHandleOutput.standardError.write("Error: invalid config: \(error)\n") }
            failed = true
        }
        let specs = files.flatMap(\.specs)
        if specs.count > 1, !json { FileHandleOutput.standardOutput.write("Multiple check instances found, running each of them\n") }
        let checks = checksDirs.isEmpty ? (environment["VIGIL_CHECKS_DIR"].map { $0.split(separator: ":").map(String.init) } ?? ["/etc/vigil/checks.d"]) : checksDirs
        var logger = Logger(label: "vigil")
        logger.logLevel = .warning
        let python = PythonSetup.loader(PythonOptions(venv: pythonVenv ?? environment["VIGIL_PYTHON_VENV"], checksDirs: checks),
                                        hostname: ProcessInfoHostname.current, logger: logger)
        let trial = CheckTrial(chain: CheckLoaders.chain(python: python))
        let outcomes = specs.map { trial.run($0, times: times, pause: .milliseconds(pause)) }
        failed = failed || outcomes.contains { $0.failed }
        FileHandleOutput.standardOutput.write(json ? CheckReport.json(outcomes) : CheckReport.text(outcomes))
        if failed { throw ExitCode(1) }
    }
}
