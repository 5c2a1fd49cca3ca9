import ArgumentParser
import Foundation

/// `vigil status`: what the running daemon is doing, from its `/status`, printed like the
/// Datadog Agent's `agent status` collector section.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the running daemon is doing: every check instance, config errors, loader errors.",
        discussion: """
        Reads /status from the daemon's HTTP API (--address, VIGIL_LISTEN, default 127.0.0.1:9717; \
        the same setting as `vigil run --listen`). --json prints the /status document itself.
        Exit status: 0 when the daemon answered, 1 when it could not be reached.
        """
    )

    @OptionGroup var daemon: DaemonAddressOptions

    @Flag(help: "Print the /status JSON document.")
    var json = false

    func validate() throws {
        _ = try daemon.resolved()
    }

    func run() throws {
        let address = try daemon.resolved()
        let fetched: (status: DaemonStatus, body: [UInt8])
        do {
            fetched = try DaemonStatus.fetch(DaemonClient(address: address))
        } catch {
            FileHandleOutput.standardError.write("Error: \(error)\n")
            throw ExitCode(1)
        }
        if json {
            var text = String(decoding: fetched.body, as: UTF8.self)
            if !text.hasSuffix("\n") { text += "\n" }
            FileHandleOutput.standardOutput.write(text)
        } else {
            FileHandleOutput.standardOutput.write(StatusReport.text(fetched.status, address: address.description))
        }
    }
}
