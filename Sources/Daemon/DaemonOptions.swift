public import StatusServer

/// Everything `vigil run` can be told. The composition root takes these and nothing else, so
/// tests start a daemon on a temporary directory with the same code path as the CLI.
public struct DaemonOptions: Sendable {
    /// Where log lines go. `auto` picks `journal`, `json` or `text` at start-up
    /// (``LogFormat/resolved(_:)``).
    public enum LogFormat: String, Sendable, CaseIterable {
        case auto, journal, json, text
    }

    public var confDirs: [String] = ["/etc/vigil/conf.d"]
    public var checksDirs: [String] = ["/etc/vigil/checks.d"]
    public var listen: ListenAddress = .default
    public var workers = 4
    public var debounce: Duration = .milliseconds(100)
    public var resyncInterval: Duration? = .seconds(300)
    /// Poll the conf dirs on this interval instead of using inotify.
    public var pollInterval: Duration?
    public var logFormat: LogFormat = .auto
    /// How long running checks get to finish on SIGTERM before they are cancelled.
    public var shutdownGrace: Duration = .seconds(10)
    /// Host name submissions default to; nil for gethostname(2).
    public var hostname: String?
    /// How often the reconcile loop proves it is alive (the /healthz and watchdog tick).
    public var tickInterval: Duration = .seconds(5)
    /// The Python virtual environment; nil for `./.venv` if present, else `/opt/vigil/venv`.
    public var pythonVenv: String?
    /// Per-check Python memory accounting with tracemalloc (costs CPU on every run).
    public var pythonTracemalloc = false
    /// Where state that outlives a restart goes (Python checks' persistent cache); nil keeps none.
    public var stateDir: String? = "/var/lib/vigil"
    /// Where each run's series and service checks are sent as DogStatsD datagrams; nil sends nothing.
    public var dogstatsd: DogStatsDTarget?

    public init() {}
}
