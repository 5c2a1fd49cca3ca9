import Daemon
import ArgumentParser
import Runtime
#if canImport(Glibc)
import Glibc
#endif

/// The `vigil` command line. Subcommands only parse arguments and call into the libraries.
struct VigilCommand: AsyncParsableCommand {
    static let version = VigilVersion.current

    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Runs monitoring checks described by conf.d YAML files (Datadog Agent layout).",
        version: "vigil \(version) (\(PythonSupport.summary))",
        subcommands: [RunCommand.self, StatusCommand.self, CheckCommand.self, ValidateCommand.self, PlanCommand.self]
    )
}

/// Entry point. Exit codes: 0 success, 1 the command found a problem (an invalid file),
/// 2 a usage error (bad arguments, a path that does not exist).
@main
enum VigilMain {
    static func main() async {
        do {
            var command = try VigilCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if VigilCommand.exitCode(for: error) == .validationFailure {
                FileHandleOutput.standardError.write(VigilCommand.fullMessage(for: error) + "\n")
                exit(2)
            }
            VigilCommand.exit(withError: error)
        }
    }
}
