public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The real `vigil run` binary on a temporary conf.d, on a free port, with its JSON log
/// collected. Ended by PID, never by name.
///
/// `--log-format` in `extraArguments` replaces the default `json`. Without JSON lines there is
/// no "HTTP API listening" line to read the address from, so the API then listens on a Unix
/// socket in the temporary directory (unless `--listen` is given) and start-up waits until it
/// answers.
public final class DaemonProcess: @unchecked Sendable {
    public let dir: TemporaryDirectory
    public let confDir: String
    public let process: Process
    public private(set) var address = ""
    private let log = LineLog()
    private let stderrPipe = Pipe()

    private init(extraArguments: [String], environment: [String: String], testDefaults: Bool, launcher: [String],
                 setup: (TemporaryDirectory) throws -> Void) throws {
        dir = try TemporaryDirectory("vigil-daemon")
        confDir = dir.file("conf.d")
        try FileManager.default.createDirectory(atPath: confDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("checks.d"), withIntermediateDirectories: true)
        try setup(dir)
        process = Process()
        // A launcher (e.g. `unshare --pid --fork`) runs the binary inside it.
        process.executableURL = URL(fileURLWithPath: launcher.first ?? Repository.vigilBinary)
        // Tests shorten the debounce and turn off the periodic resync; benchmarks keep defaults.
        let quick = testDefaults ? ["--debounce", "30ms", "--resync-interval", "0", "--shutdown-grace", "5s"] : []
        let formatGiven = extraArguments.firstIndex(of: "--log-format")
        let jsonLog = formatGiven.map { extraArguments.indices.contains($0 + 1) && extraArguments[$0 + 1] == "json" } ?? true
        let listen = extraArguments.contains("--listen") ? [] : ["--listen", jsonLog ? "127.0.0.1:0" : "unix:" + dir.file("api.sock")]
        let state = extraArguments.contains("--state-dir") ? [] : ["--state-dir", dir.file("state")]
        process.arguments = (launcher.isEmpty ? [] : Array(launcher.dropFirst()) + [Repository.vigilBinary])
            + ["run", "--conf-dir", confDir, "--checks-dir", dir.file("checks.d")] + (formatGiven == nil ? ["--log-format", "json"] : [])
            + listen + state + quick + extraArguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        process.standardError = stderrPipe
        process.standardOutput = FileHandle.nullDevice
        let log = self.log
        stderrPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            log.append(lines)
        }
        let all = listen + extraArguments
        if !jsonLog, let flag = all.firstIndex(of: "--listen"), all.indices.contains(flag + 1) { address = all[flag + 1] }
        try process.run()
    }

    /// Starts the daemon and waits (without blocking a thread) until its API listens.
    public static func start(extraArguments: [String] = [], environment: [String: String] = [:], testDefaults: Bool = true,
                             launcher: [String] = [],
                             setup: (TemporaryDirectory) throws -> Void = { _ in }) async throws -> DaemonProcess {
        let daemon = try DaemonProcess(extraArguments: extraArguments, environment: environment, testDefaults: testDefaults,
                                       launcher: launcher, setup: setup)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, daemon.process.isRunning {
            if !daemon.address.isEmpty {
                if (try? daemon.get("/healthz")) != nil { return daemon }
            } else if let line = daemon.logLines.first(where: { $0.contains("\"HTTP API listening\"") }),
               let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let bound = object["address"] as? String {
                daemon.address = bound
                return daemon
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(daemon.process.processIdentifier, SIGKILL)
        throw HTTPClient.Failure(description: "vigil did not start listening:\n\(daemon.logLines.joined(separator: "\n"))")
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        stderrPipe.fileHandleForReading.readabilityHandler = nil
    }

    public var logLines: [String] { log.lines }

    public func get(_ path: String) throws -> HTTPClient.Response {
        try HTTPClient.get(address, path)
    }

    /// `/status` as JSON.
    public func status() throws -> [String: Any] {
        let response = try get("/status")
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any] else {
            throw HTTPClient.Failure(description: "bad /status: \(response.status) \(response.body.prefix(200))")
        }
        return object
    }

    public func checks() throws -> [[String: Any]] {
        (try status()["checks"] as? [[String: Any]]) ?? []
    }

    /// Polls `/status` until `condition` holds (or the timeout passes); returns the last status.
    @discardableResult
    public func waitFor(timeout: Double = 20, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try status()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        return last
    }

    /// Sends SIGTERM and waits; the exit status and how long stopping took.
    public func terminate(timeout: Double = 30) async -> (status: Int32, seconds: Double) {
        let start = Date()
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning, Date().timeIntervalSince(start) < timeout { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (-1, Date().timeIntervalSince(start))
        }
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }
}

/// Lines collected from a child's output on another thread.
final class LineLog: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ lines: [String]) { storage.withLock { $0 += lines } }
    var lines: [String] { storage.withLock { $0 } }
}
