import Foundation

/// The parts of the daemon's `/status` document the CLI reads (README, "HTTP API"). Decoding
/// is lenient: fields the CLI does not show are not required.
struct DaemonStatus: Decodable {
    struct Check: Decodable {
        var id: String
        var check: String
        var loader: String?
        var state: String
        var source: String
        var sourceState: String?
        var totalRuns: Int
        var metricSamplesLast: Int
        var metricSamplesTotal: Int
        var serviceChecksLast: Int
        var serviceChecksTotal: Int
        var eventsLast: Int?
        var eventsTotal: Int?
        var avgExecutionMs: Double?
        var lastExecutionMs: Double?
        var lastRunAt: Double?
        var lastSuccessAt: Double?
        var lastError: String?
        var lastErrorTraceback: String?
        var lastWarnings: [String]?
        var loaderErrors: [String: String]?
        var skipReason: String?
        var version: String?
    }

    struct Issue: Decodable {
        var line: Int?
        var column: Int?
        var message: String
    }

    struct ConfigFile: Decodable {
        var path: String
        var check: String
        var state: String
        var errors: [Issue]
        var warnings: [Issue]?
        var instances: [String]?
    }

    struct MissingDirectory: Decodable {
        var path: String
        var reason: String
    }

    struct Watcher: Decodable {
        struct Root: Decodable {
            var path: String
            var mode: String
        }
        var roots: [Root]
    }

    var ready: Bool
    var version: String?
    var hostname: String?
    var uptimeS: Double?
    var python: String?
    var checks: [Check]
    var configFiles: [ConfigFile]
    var missingConfigDirs: [MissingDirectory]?
    var watcher: Watcher?

    static func decode(_ bytes: [UInt8]) throws -> DaemonStatus {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(DaemonStatus.self, from: Data(bytes))
    }

    /// `/status` from the daemon at `client`'s address.
    /// - Returns: the parsed document and its bytes (for `--json`).
    static func fetch(_ client: DaemonClient) throws -> (status: DaemonStatus, body: [UInt8]) {
        let response: DaemonClient.Response
        do {
            response = try client.get("/status")
        } catch {
            throw DaemonClient.Failure(description: "cannot reach the Vigil daemon at \(client.address) (is `vigil run` running? "
                                       + "set --address or VIGIL_LISTEN): \(error)")
        }
        guard response.status == 200 else {
            throw DaemonClient.Failure(description: "\(client.address)/status answered HTTP \(response.status)")
        }
        do {
            return (try decode(response.body), response.body)
        } catch {
            throw DaemonClient.Failure(description: "\(client.address)/status is not a Vigil status document: \(error)")
        }
    }
}

extension DaemonStatus.Issue {
    /// `path:line:column: message`, as `vigil validate` prints it.
    func description(path: String) -> String {
        guard let line else { return "\(path): \(message)" }
        return "\(path):\(line):\(column ?? 0): \(message)"
    }
}
