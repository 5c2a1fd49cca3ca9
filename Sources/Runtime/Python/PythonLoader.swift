public import VigilConfig
import VigilYAML

/// Loads instances whose check is a Python module: `datadog_checks.<name>` (an installed
/// integration) or `<name>` from a checks directory, running the module's leaf `AgentCheck`
/// subclass unmodified. Without the `Python` trait, or when the interpreter did not start, it
/// knows no checks, and an instance pinned to it says why.
public struct PythonLoader: CheckLoader {
    public let name = "python"

    #if Python
    private let interpreter: PythonInterpreter?
    #endif
    private let tracemalloc: Bool
    /// Why there is no interpreter; nil when there is one.
    public let unavailableReason: String?

    /// Starts the interpreter (once per process) and returns its loader; a loader that
    /// explains why when Python cannot start or this build has no Python support.
    public static func start(_ configuration: PythonConfiguration, services: PythonHostServices) -> PythonLoader {
        #if Python
        do {
            let interpreter = try PythonInterpreter.start(configuration, services: services)
            return PythonLoader(interpreter: interpreter, tracemalloc: configuration.tracemalloc, reason: nil)
        } catch {
            return PythonLoader(interpreter: nil, tracemalloc: false, reason: "Python is not available: \(error)")
        }
        #else
        return PythonLoader(unavailable: "built without Python support")
        #endif
    }

    #if Python
    private init(interpreter: PythonInterpreter?, tracemalloc: Bool, reason: String?) {
        self.interpreter = interpreter
        self.tracemalloc = tracemalloc
        unavailableReason = reason
    }
    #endif

    private init(unavailable reason: String) {
        #if Python
        interpreter = nil
        #endif
        tracemalloc = false
        unavailableReason = reason
    }

    /// Submissions from Python that arrived outside any run of their check, and were dropped.
    public static var droppedSubmissions: UInt64 { PythonRoutes.shared.dropped.load(ordering: .relaxed) }

    public func load(_ spec: CheckSpec, context: LoadContext) throws(LoadError) -> any Check {
        #if Python
        if let interpreter { return try Self.load(spec, interpreter: interpreter, measure: tracemalloc) }
        #endif
        let reason = unavailableReason ?? "Python is not available"
        // Unpinned, the chain moves on to exec; pinned, the reason is the error.
        throw spec.options.loader == "python" ? .failed(reason) : .notFound(reason)
    }

    #if Python
    private static func load(_ spec: CheckSpec, interpreter: PythonInterpreter, measure: Bool) throws(LoadError) -> any Check {
        let checkID = spec.id.description
        let outcome: Result<PythonInterpreter.LoadOutcome, PythonValue.ConversionError> = interpreter.withGIL {
            let initConfig: PyObjectPointer, instance: PyObjectPointer
            do throws(PythonValue.ConversionError) {
                // As the Agent: an empty init_config or instance is an empty dict.
                initConfig = try PythonValue.make(spec.initConfig.isNull ? .mapping([]) : spec.initConfig)
                instance = try PythonValue.make(spec.instance.isNull ? .mapping([]) : spec.instance)
            } catch {
                return .failure(error)
            }
            return .success(interpreter.load(name: spec.checkName, initConfig: initConfig, instance: instance, checkID: checkID))
        }
        switch outcome {
        case .failure(let error): throw .failed(error.description)
        case .success(.loaded(let object, let version)):
            return PythonCheck(interpreter: interpreter, object: object, route: PythonCheckRoute(checkID: checkID), version: version,
                               measure: measure)
        case .success(.notFound(let message)): throw .notFound(message)
        case .success(.failed(let message)): throw .failed(message)
        case .success(.skipped(let message)): throw .declined(message)
        }
    }
    #endif
}
