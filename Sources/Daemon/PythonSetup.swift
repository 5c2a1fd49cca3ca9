import Foundation
public import Logging
public import Runtime

/// Where the daemon's Python checks come from and what they may keep.
public struct PythonOptions: Sendable, Equatable {
    /// nil: ``PythonConfiguration/defaultVenv(currentDirectory:)``.
    public var venv: String?
    /// Directories of custom checks, appended to `sys.path`.
    public var checksDirs: [String]
    /// Per-check Python memory accounting (tracemalloc).
    public var tracemalloc: Bool
    /// Persistent cache and other state; nil keeps nothing across restarts.
    public var stateDir: String?

    public init(venv: String? = nil, checksDirs: [String] = [], tracemalloc: Bool = false, stateDir: String? = nil) {
        self.venv = venv
        self.checksDirs = checksDirs
        self.tracemalloc = tracemalloc
        self.stateDir = stateDir
    }
}

/// Starts the embedded interpreter for the python loader. Python failing to start (no venv,
/// checks-base missing) is logged and leaves a loader that explains it: native and exec checks
/// still run.
public enum PythonSetup {
    public static func loader(_ options: PythonOptions, hostname: String, logger: Logger) -> PythonLoader {
        let venv = options.venv ?? PythonConfiguration.defaultVenv()
        let services = PythonHostServices(
            hostname: hostname, version: VigilVersion.current, logLevel: level(logger.logLevel),
            persistentCache: options.stateDir.map { PersistentCache(stateDirectory: $0) },
            log: { level, message in
                logger.log(level: logLevel(level), "\(message)", metadata: ["source": "python"])
            })
        let loader = PythonLoader.start(PythonConfiguration(venv: venv, checksDirs: options.checksDirs, tracemalloc: options.tracemalloc),
                                        services: services)
        if let reason = loader.unavailableReason {
            if PythonSupport.isBuiltIn { logger.error("Python checks are unavailable", metadata: ["error": "\(reason)"]) }
        } else {
            logger.info("Python ready", metadata: ["venv": "\(venv)", "python": "\(PythonSupport.summary)"])
        }
        return loader
    }

    static func level(_ level: Logger.Level) -> PythonHostServices.LogLevel {
        switch level {
        case .trace: return .trace
        case .debug: return .debug
        case .info, .notice: return .info
        case .warning: return .warning
        case .error: return .error
        case .critical: return .critical
        }
    }

    static func logLevel(_ level: PythonHostServices.LogLevel) -> Logger.Level {
        switch level {
        case .trace: return .trace
        case .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        case .critical: return .critical
        }
    }
}
