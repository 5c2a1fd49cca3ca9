import ArgumentParser
import Foundation
import StatusServer

/// `--address`: where a running `vigil run` serves its API, resolved like `vigil run --listen`
/// (the flag, else `VIGIL_LISTEN`, else `127.0.0.1:9717`), so the same environment reaches
/// the same daemon.
struct DaemonAddressOptions: ParsableArguments {
    @Option(help: "HOST:PORT or unix:/path of the daemon's HTTP API. (env: VIGIL_LISTEN; default 127.0.0.1:9717)")
    var address: String?

    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ListenAddress {
        let text = address ?? environment["VIGIL_LISTEN"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text else { return .default }
        let parsed: ListenAddress
        do { parsed = try ListenAddress(parsing: text) } catch { throw ValidationError("--address: \(error)") }
        if case .tcp(_, 0) = parsed { throw ValidationError("--address: port 0 means 'pick one' to `vigil run`; give the port it chose") }
        return parsed
    }
}
