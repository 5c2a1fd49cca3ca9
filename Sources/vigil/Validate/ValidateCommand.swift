import ArgumentParser
import Foundation
import Runtime
import VigilConfig

/// `vigil validate PATH…`: checks config files and conf.d directories without running
/// anything, printing each file's instance IDs or every error at its line and column.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check config files or conf.d directories and print their instance IDs or errors.",
        discussion: """
        Each PATH is a config file, a conf.d directory (read with the Datadog Agent's layout: \
        <check>.d/*.yaml and <check>.yaml), or one <check>.d directory. Errors print as \
        path:line:column: message.
        With --print, stdout has one JSON line per instance (check, id, source, init_config and \
        instance as typed JSON), errors go to stderr, and the Python checks in --checks-dir are \
        byte-compiled; a syntax error prints as path:line: message.
        Exit status: 0 when every file is valid, 1 when any is invalid (or, with --print, a Python \
        check does not compile), 2 on a usage error.
        """
    )

    @Argument(help: "Config files or conf.d directories.")
    var paths: [String]

    @Flag(name: .long, help: "Print a JSON report instead of text.")
    var json = false

    @Flag(name: .customLong("print"), help: "Print each instance as one line of typed JSON; errors go to stderr. Also byte-compiles the Python checks.")
    var printInstances = false

    @Option(name: .customLong("checks-dir"), help: "With --print: a directory of custom Python checks to compile; repeatable. (env: VIGIL_CHECKS_DIR; default /etc/vigil/checks.d, skipped when absent)")
    var checksDirs: [String] = []

    @Option(name: .customLong("python-venv"), help: "With --print: the virtual environment whose python compiles the checks. (env: VIGIL_PYTHON_VENV; default ./.venv if present, else /opt/vigil/venv)")
    var pythonVenv: String?

    func validate() throws {
        if json && printInstances { throw ValidationError("--json and --print cannot be combined") }
        if !printInstances && (!checksDirs.isEmpty || pythonVenv != nil) {
            throw ValidationError("--checks-dir and --python-venv need --print")
        }
        for dir in checksDirs where !FileManager.default.fileExists(atPath: dir) {
            throw ValidationError("--checks-dir: no such directory: \(dir)")
        }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no such file or directory: \(path)")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let report = ValidationReport.build(paths: paths, environment: environment)
        if printInstances {
            FileHandleOutput.standardOutput.write(report.jsonLines())
            FileHandleOutput.standardError.write(report.diagnostics())
            // The defaults are `vigil run`'s: a default or environment directory that does not
            // exist is skipped without a word.
            func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
            let dirs = checksDirs.isEmpty
                ? (env("VIGIL_CHECKS_DIR").map { $0.split(separator: ":").map(String.init) } ?? ["/etc/vigil/checks.d"])
                : checksDirs
            let venv = pythonVenv ?? env("VIGIL_PYTHON_VENV") ?? PythonConfiguration.defaultVenv()
            let python = PythonSyntaxCheck(checksDirs: dirs, venv: venv).run()
            FileHandleOutput.standardError.write(python.lines.map { $0 + "\n" }.joined())
            if !report.isValid || python.failed { throw ExitCode(1) }
            return
        }
        FileHandleOutput.standardOutput.write(json ? report.json() : report.text())
        if !report.isValid { throw ExitCode(1) }
    }
}
