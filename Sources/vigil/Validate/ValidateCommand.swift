import ArgumentParser
import Foundation
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
        Exit status: 0 when every file is valid, 1 when any is invalid, 2 on a usage error.
        """
    )

    @Argument(help: "Config files or conf.d directories.")
    var paths: [String]

    @Flag(name: .long, help: "Print a JSON report instead of text.")
    var json = false

    func validate() throws {
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no such file or directory: \(path)")
        }
    }

    func run() throws {
        let report = ValidationReport.build(paths: paths, environment: ProcessInfo.processInfo.environment)
        FileHandleOutput.standardOutput.write(json ? report.json() : report.text())
        if !report.isValid { throw ExitCode(1) }
    }
}
