import ArgumentParser
import Daemon
import Foundation
import Logging
import StatusServer

/// `vigil run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run checks from conf.d, reloading as the files change.",
        discussion: """
        Every option can also be set by an environment variable (VIGIL_CONF_DIR and \
        VIGIL_CHECKS_DIR take several directories separated by ':'); a command-line option wins.
        SIGHUP re-reads every config file; SIGTERM and SIGINT stop gracefully: no new runs, \
        running checks get --shutdown-grace to finish, plugins still running are killed.
        """
    )

    @Option(name: .customLong("conf-dir"), help: "A conf.d directory; repeatable. (env: VIGIL_CONF_DIR; default /etc/vigil/conf.d)")
    var confDirs: [String] = []

    @Option(name: .customLong("checks-dir"), help: "A directory of custom Python checks; repeatable. (env: VIGIL_CHECKS_DIR; default /etc/vigil/checks.d)")
    var checksDirs: [String] = []

    @Option(help: "HOST:PORT or unix:/path for the HTTP API. (env: VIGIL_LISTEN; default 127.0.0.1:9717)")
    var listen: String?

    @Option(help: "Worker threads running checks. (env: VIGIL_WORKERS; default 4)")
    var workers: Int?

    @Option(help: "Quiet time before a change is applied, e.g. 100ms; 0 applies at once. A file written without pause is applied after 10 times this (at least 1s). (env: VIGIL_DEBOUNCE; default 100ms)")
    var debounce: String?

    @Option(name: .customLong("resync-interval"), help: "Full re-read as a safety net, e.g. 5m; 0 turns it off. (env: VIGIL_RESYNC_INTERVAL; default 5m)")
    var resyncInterval: String?

    @Option(name: .customLong("poll-interval"), help: "Poll the conf dirs on this interval instead of using inotify (for NFS, FUSE). (env: VIGIL_POLL_INTERVAL)")
    var pollInterval: String?

    @Option(name: .customLong("log-format"), help: ArgumentHelp(
        "auto, journal, json or text. (env: VIGIL_LOG_FORMAT; default auto)",
        discussion: "auto: the journal when systemd connected stderr to it (or started us and journald runs), JSON lines when stderr is not a terminal, text on a terminal."))
    var logFormat: String?

    @Option(name: .customLong("shutdown-grace"), help: "Time running checks get to finish on SIGTERM. (env: VIGIL_SHUTDOWN_GRACE; default 10s)")
    var shutdownGrace: String?

    @Option(help: "Host name for submissions. (env: VIGIL_HOSTNAME; default the machine's)")
    var hostname: String?

    @Option(name: .customLong("python-venv"), help: "The Python virtual environment with datadog-checks-base. (env: VIGIL_PYTHON_VENV; default ./.venv if present, else /opt/vigil/venv)")
    var pythonVenv: String?

    @Flag(name: .customLong("python-tracemalloc"), help: "Account Python memory per check with tracemalloc (costs CPU on every run). (env: VIGIL_PYTHON_TRACEMALLOC=1)")
    var pythonTracemalloc = false

    @Option(name: .customLong("state-dir"), help: "Where Python checks' persistent cache is kept across restarts; 'none' keeps nothing. (env: VIGIL_STATE_DIR; default /var/lib/vigil)")
    var stateDir: String?

    @Option(help: "HOST:PORT to send each run's series and service checks to as DogStatsD datagrams over UDP; 'none' sends nothing. (env: VIGIL_DOGSTATSD; else DD_AGENT_HOST and DD_DOGSTATSD_PORT, default port 8125)")
    var dogstatsd: String?

    func resolvedOptions(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DaemonOptions {
        var options = DaemonOptions()
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func list(_ flags: [String], _ name: String) -> [String]? {
            if !flags.isEmpty { return flags }
            return env(name).map { $0.split(separator: ":").map(String.init) }
        }
        func duration(_ flag: String?, _ name: String, option: String) throws -> Duration? {
            guard let text = flag ?? env(name) else { return nil }
            do { return try DurationArgument.parse(text) } catch { throw ValidationError("--\(option): \(error)") }
        }
        if let dirs = list(confDirs, "VIGIL_CONF_DIR") { options.confDirs = dirs.map(AbsolutePath.of) }
        if let dirs = list(checksDirs, "VIGIL_CHECKS_DIR") { options.checksDirs = dirs.map(AbsolutePath.of) }
        // A missing directory is waited for (a volume mounted late); a file in its place is a
        // mistake to say now, not a directory to wait for forever.
        for (flag, dirs) in [("--conf-dir", options.confDirs), ("--checks-dir", options.checksDirs)] {
            for dir in dirs {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), !isDirectory.boolValue {
                    throw ValidationError("\(flag) \(dir) is a file, not a directory: name the directory that holds the check configs")
                }
            }
        }
        if let text = listen ?? env("VIGIL_LISTEN") {
            do { options.listen = try ListenAddress(parsing: text) } catch { throw ValidationError("--listen: \(error)") }
        }
        if let count = workers ?? env("VIGIL_WORKERS").flatMap(Int.init) {
            guard (1...256).contains(count) else { throw ValidationError("--workers must be between 1 and 256") }
            options.workers = count
        } else if env("VIGIL_WORKERS") != nil {
            throw ValidationError("VIGIL_WORKERS must be a number")
        }
        if let value = try duration(debounce, "VIGIL_DEBOUNCE", option: "debounce") { options.debounce = value }
        if let value = try duration(resyncInterval, "VIGIL_RESYNC_INTERVAL", option: "resync-interval") {
            options.resyncInterval = value == .zero ? nil : value
        }
        if let value = try duration(pollInterval, "VIGIL_POLL_INTERVAL", option: "poll-interval") {
            guard value >= .milliseconds(10) else { throw ValidationError("--poll-interval must be at least 10ms") }
            options.pollInterval = value
        }
        if let value = try duration(shutdownGrace, "VIGIL_SHUTDOWN_GRACE", option: "shutdown-grace") { options.shutdownGrace = value }
        if let text = logFormat ?? env("VIGIL_LOG_FORMAT") {
            guard let format = DaemonOptions.LogFormat(rawValue: text) else {
                throw ValidationError("--log-format must be one of: \(DaemonOptions.LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.logFormat = format
        }
        options.hostname = hostname ?? env("VIGIL_HOSTNAME")
        options.pythonVenv = pythonVenv ?? env("VIGIL_PYTHON_VENV")
        options.pythonTracemalloc = pythonTracemalloc || ["1", "true", "yes"].contains(env("VIGIL_PYTHON_TRACEMALLOC")?.lowercased() ?? "")
        if let dir = stateDir ?? env("VIGIL_STATE_DIR") { options.stateDir = dir == "none" ? nil : dir }
        do {
            options.dogstatsd = try DogStatsDTarget.resolve(dogstatsd ?? env("VIGIL_DOGSTATSD"), environment: environment)
        } catch {
            throw ValidationError("--dogstatsd: \(error)")
        }
        return options
    }

    func validate() throws {
        _ = try resolvedOptions()
    }

    func run() async throws {
        let options = try resolvedOptions()
        let format = options.logFormat.resolved()
        LoggingSystem.bootstrap { label in format.makeHandler(label: label) }
        let logger = Logger(label: "vigil")
        if format == .journal && !JournalDetection.isListening(JournalDetection.socketPath) {
            // sd_journal_sendv drops entries silently without journald: say so where someone looks.
            FileHandle.standardError.write(Data("vigil: --log-format journal, but \(JournalDetection.socketPath) has no journald listening; log entries are lost\n".utf8))
        }
        let daemon: Daemon
        do {
            daemon = try Daemon(options: options, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            SystemdNotifier().fatal(errno: EINVAL, message: "cannot start: \(error)")
            throw ExitCode(1)
        }
        do {
            try await daemon.run()
        } catch {
            logger.critical("stopped with an error: \(error)")
            throw ExitCode(1)
        }
    }
}
