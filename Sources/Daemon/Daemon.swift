public import Foundation
public import Logging
public import Reconciler
public import Runtime
public import ServiceLifecycle
import StatusServer
import Synchronization
import VigilConfig
public import Watch

/// The daemon, composed: watcher → reconcile loop → runtime, and the HTTP API, run as a
/// `ServiceGroup`. SIGTERM/SIGINT shut down gracefully (reverse order: the API, the runtime
/// letting running checks finish, the loop, the watcher); SIGHUP resyncs.
///
/// A function of its options: tests build one on a temporary directory, exactly as `vigil run`
/// does.
public final class Daemon: Sendable {
    public let options: DaemonOptions
    public let watcher: DirectoryWatcher
    public let runner: CheckRunner
    public let loop: ReconcileLoop
    public let startedAt = Date()
    /// sd_notify: readiness, status, reload, watchdog, stopping (nothing without systemd).
    public let notifier: SystemdNotifier
    /// Conf dirs that will never see an update (a subPath mount, a static read-only mount).
    public let confDirWarnings: [ConfDirAdvisor.Warning]
    /// Forwards each run's output to DogStatsD, when `options.dogstatsd` is set.
    public let dogstatsd: DogStatsDForwarder?
    let logger: Logger
    private let listening = ListeningAddressBox()

    public init(options: DaemonOptions, logger: Logger) throws {
        // Before anything is loaded or scheduled: a daemon whose API cannot listen stops here,
        // naming the address (and never takes over another daemon's Unix socket).
        try options.listen.claim()
        self.options = options
        self.logger = logger
        let events = EventLog(logger: logger)
        let hostname = options.hostname ?? ProcessInfoHostname.current
        let python = PythonSetup.loader(PythonOptions(venv: options.pythonVenv, checksDirs: options.checksDirs,
                                                      tracemalloc: options.pythonTracemalloc, stateDir: options.stateDir),
                                        hostname: hostname, logger: logger)
        let dogstatsd = options.dogstatsd.map { DogStatsDForwarder(target: $0, defaultHost: hostname, logger: logger) }
        self.dogstatsd = dogstatsd
        var onRun: (@Sendable (RunOutput) -> Void)?
        if let dogstatsd { onRun = { dogstatsd.forward($0) } }
        runner = CheckRunner(chain: CheckLoaders.chain(python: python), workers: options.workers,
                             hostname: hostname,
                             onEvent: { events.runtime($0) },
                             onRun: onRun)
        let reader = CheckFileReader(decoder: CheckFileDecoder(environment: ProcessInfo.processInfo.environment))
        let notifier = SystemdNotifier()
        let mounts = MountTable(mountinfo: (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "")
        confDirWarnings = options.confDirs.flatMap { dir in
            ConfDirAdvisor.warnings(confDir: dir, mounts: mounts) { FileManager.default.fileExists(atPath: $0 + "/..data") }
        }
        self.notifier = notifier
        // The loop reports its own passes; its status is read back once the pass is recorded.
        let loopBox = Mutex<ReconcileLoop?>(nil)
        let loop = ReconcileLoop(roots: options.confDirs, reader: reader, runtime: RuntimeAdapter(runner: runner),
                                 onEvent: { event in
                                     events.reconcile(event)
                                     if case .passCompleted(let summary) = event, let loop = loopBox.withLock({ $0 }) {
                                         let status = StatusLine.make(loop.status)
                                         if notifier.passCompleted(full: summary.full, status: status,
                                                                   startedAt: .now - summary.duration) {
                                             events.ready(status)
                                         }
                                     }
                                 },
                                 heartbeat: { notifier.heartbeat() })
        loopBox.withLock { $0 = loop }
        self.loop = loop
        watcher = try DirectoryWatcher(options: Self.watchOptions(options))
    }

    /// The watcher's settings. The longest wait for a change is ten debounce periods (at least
    /// the watcher's 1 s): a 5 s debounce must not be cut short by the 1 s default, while a
    /// writer that never pauses still gets its change applied.
    static func watchOptions(_ options: DaemonOptions) -> WatchOptions {
        var watch = WatchOptions(roots: options.confDirs + options.checksDirs)
        watch.debounce = options.debounce
        watch.maxDelay = max(watch.maxDelay, options.debounce * 10)
        watch.resyncInterval = options.resyncInterval
        if let interval = options.pollInterval { watch.mode = .poll(interval: interval) }
        watch.isRelevant = Self.isRelevant
        return watch
    }

    /// What the watcher reports: `<check>.d` directories, config files, Python check modules.
    static let isRelevant: @Sendable (String, Bool) -> Bool = { name, isDirectory in
        if isDirectory { return name.hasSuffix(".d") }
        return name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".yaml.default")
            || name.hasSuffix(".yml.default") || name.hasSuffix(".py")
    }

    /// The address the HTTP API is listening on, once it is.
    public var listeningAddress: String? { listening.value }

    public func serviceGroup() -> ServiceGroup {
        let events = EventLog(logger: logger)
        let provider = DaemonStatusProvider(daemon: self)
        let listening = self.listening
        let logger = self.logger
        let http = StatusServer.service(provider: provider, address: options.listen, logger: logger) { address in
            listening.value = address
            logger.info("HTTP API listening", metadata: ["address": "\(address)"])
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: WatchService(watcher: watcher, loop: loop, events: EventLog(logger: logger, checksDirs: Set(options.checksDirs)))),
            .init(service: ReconcileService(loop: loop, tickInterval: tickInterval, notifier: notifier)),
            .init(service: RuntimeService(runner: runner, grace: options.shutdownGrace, notifier: notifier, events: events)),
            .init(service: http),
            .init(service: SignalService(loop: loop, watcher: watcher, notifier: notifier, logger: logger,
                                         faults: SignalService.Faults(environment: ProcessInfo.processInfo.environment))),
        ]
        if let dogstatsd { services.append(.init(service: DogStatsDService(forwarder: dogstatsd))) }
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        return ServiceGroup(configuration: configuration)
    }

    /// The loop's tick: the configured one, or more often when systemd's watchdog needs it
    /// (every `WATCHDOG_USEC`/4, so a pass in progress may take a quarter period before a
    /// ping is late).
    var tickInterval: Duration {
        guard let watchdog = notifier.watchdogInterval else { return options.tickInterval }
        return min(options.tickInterval, watchdog / 2)
    }

    /// Runs until SIGTERM/SIGINT (or cancellation). A fatal error is told to systemd
    /// (`ERRNO=`, `STATUS=`) before it is thrown.
    public func run() async throws {
        logger.info("starting", metadata: ["conf_dirs": "\(options.confDirs.joined(separator: ","))",
                                           "workers": "\(options.workers)", "python": "\(PythonSupport.summary)",
                                           "watchdog_s": "\(notifier.watchdogInterval.map { "\($0 * 2)" } ?? "off")"])
        let events = EventLog(logger: logger)
        confDirWarnings.forEach(events.confDirWillNotUpdate)
        if OrphanReaper.startIfInit() {
            logger.info("running as PID 1: reaping orphaned processes")
        }
        do {
            try await serviceGroup().run()
        } catch {
            notifier.fatal(errno: (error as? any CustomNSError).map { Int32($0.errorCode) } ?? EIO, message: "\(error)")
            throw error
        }
        logger.info("stopped")
    }
}

/// The bound address, set once the HTTP server runs.
final class ListeningAddressBox: Sendable {
    private let address = Mutex<String?>(nil)
    var value: String? {
        get { address.withLock { $0 } }
        set { address.withLock { $0 = newValue } }
    }
}

/// The loader chain `vigil run` and `vigil check` share, in the order the Agent tries them:
/// native, python, exec.
public enum CheckLoaders {
    public static func chain(python: PythonLoader) -> LoaderChain {
        LoaderChain([NativeLoader(), python, ExecLoader()])
    }
}
