import ArgumentParser
import Foundation
import Reconciler
import VigilConfig

/// `vigil plan`: what the running daemon would schedule, replace and unschedule if it
/// reconciled the conf.d on disk now; applies nothing.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what the daemon would schedule, replace and unschedule for the conf.d on disk, without applying it.",
        discussion: """
        Asks the running daemon (--address, VIGIL_LISTEN, default 127.0.0.1:9717) what it runs, \
        reads the config directories with the daemon's reader and runs the daemon's planner. \
        Invalid files print their errors; their running instances count as kept, as the daemon \
        keeps them. Environment variables in config files are substituted from this command's \
        environment, which may differ from the daemon's.
        Exit status: 0 when nothing would change, 1 when something would, 2 on an error (the \
        daemon cannot be reached, a usage error).
        """
    )

    @Option(name: .customLong("conf-dir"), help: "A conf.d directory; repeatable. (env: VIGIL_CONF_DIR; default /etc/vigil/conf.d)")
    var confDirs: [String] = []

    @OptionGroup var daemon: DaemonAddressOptions

    func validate() throws {
        _ = try daemon.resolved()
    }

    /// Absolute, as `vigil run` makes its own: a relative `--conf-dir` here and an absolute one
    /// in the daemon (or the reverse) name the same files.
    func resolvedRoots(environment: [String: String]) -> [String] {
        if !confDirs.isEmpty { return confDirs.map(AbsolutePath.of) }
        if let value = environment["VIGIL_CONF_DIR"], !value.isEmpty { return value.split(separator: ":").map { AbsolutePath.of(String($0)) } }
        return ["/etc/vigil/conf.d"]
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let address = try daemon.resolved()
        let status: DaemonStatus
        do {
            status = try DaemonStatus.fetch(DaemonClient(address: address)).status
        } catch {
            FileHandleOutput.standardError.write("Error: \(error)\n")
            throw ExitCode(2)
        }
        var running: [CheckID: ConfigSource] = [:]
        for check in status.checks {
            guard let source = Self.source(check.source) else {
                FileHandleOutput.standardError.write("Error: /status gives \(check.id) the source '\(check.source)', expected path[index]\n")
                throw ExitCode(2)
            }
            running[CheckID(rawValue: check.id)] = source
        }
        let roots = resolvedRoots(environment: environment)
        let watched = Set((status.watcher?.roots ?? []).map { Self.trimmed($0.path) })
        for root in roots where !watched.isEmpty && !watched.contains(Self.trimmed(root)) {
            FileHandleOutput.standardError.write("warning: the daemon at \(address) does not watch \(root); the plan compares it anyway\n")
        }
        let tree = ConfigTree(roots: roots, reader: CheckFileReader(decoder: CheckFileDecoder(environment: environment)))
        _ = tree.refreshAll()
        let preview = PlanPreview.make(desired: tree.desired, files: tree.fileStatuses, missingRoots: tree.missingRoots,
                                       running: running)
        FileHandleOutput.standardOutput.write(preview.text())
        if preview.changes { throw ExitCode(1) }
    }

    /// `path[index]`, as `/status` writes a ``ConfigSource``.
    static func source(_ text: String) -> ConfigSource? {
        guard text.hasSuffix("]"), let open = text.lastIndex(of: "["),
              let index = Int(text[text.index(after: open)..<text.index(before: text.endIndex)]) else { return nil }
        return ConfigSource(path: String(text[..<open]), index: index)
    }

    static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
