#if Python
import Foundation
import Synchronization
@testable import Runtime
import TestSupport
import VigilConfig

/// The one embedded interpreter the Python tests share (CPython starts once per process),
/// on the repository's venv, with the fixture checks on `sys.path`.
enum PythonTesting {
    static let fixtures = Repository.path("Tests/RuntimeTests/Fixtures/python")

    static let venv: String? = Repository.venvPython.map {
        URL(fileURLWithPath: $0).deletingLastPathComponent().deletingLastPathComponent().path
    }

    static let stateDirectory: String = {
        let path = NSTemporaryDirectory() + "vigil-python-state-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static let logs = Mutex<[String]>([])

    static let services = PythonHostServices(
        hostname: "test-host", version: "9.8.7", logLevel: .info,
        persistentCache: PersistentCache(stateDirectory: stateDirectory),
        log: { level, message in logs.withLock { $0.append("\(level) \(message)") } })

    /// The python loader; nil (tests skip) without the venv.
    static func loader(tracemalloc: Bool = false) -> PythonLoader? {
        guard let venv else { return nil }
        let loader = PythonLoader.start(PythonConfiguration(venv: venv, checksDirs: [fixtures], tracemalloc: tracemalloc),
                                        services: services)
        precondition(loader.unavailableReason == nil, loader.unavailableReason ?? "")
        return loader
    }

    static var available: Bool { venv != nil }

    static let context = LoadContext(hostname: "test-host")

    /// Loads a spec through the python loader.
    static func load(_ spec: CheckSpec, tracemalloc: Bool = false) throws -> any Check {
        guard let loader = loader(tracemalloc: tracemalloc) else { throw LoadError.failed(Repository.venvMissing) }
        return try loader.load(spec, context: context)
    }

    /// One run, returning what the check submitted (tags as sent, host completed with
    /// `defaultHost`) and the run's error.
    static func run(_ check: any Check, defaultHost: String = "test-host") -> (RunSubmissions, CheckRunError?) {
        let sender = Sender(policy: SenderPolicy(defaultHost: defaultHost))
        do {
            try check.run(sender)
            return (sender.take(), nil)
        } catch let error as CheckRunError {
            return (sender.take(), error)
        } catch {
            return (sender.take(), CheckRunError("\(error)"))
        }
    }

    static func runner(workers: Int, hangGrace: Duration = .seconds(10), tracemalloc: Bool = false,
                       onEvent: @escaping @Sendable (RuntimeEvent) -> Void = { _ in }) -> CheckRunner? {
        guard let loader = loader(tracemalloc: tracemalloc) else { return nil }
        return CheckRunner(chain: LoaderChain([loader]), workers: workers, hostname: "test-host", hangGrace: hangGrace,
                           onEvent: onEvent)
    }
}
#endif
