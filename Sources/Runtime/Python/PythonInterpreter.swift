import Foundation
import Synchronization

/// How to find and start the embedded interpreter.
public struct PythonConfiguration: Sendable, Equatable {
    /// The virtual environment whose `bin/python3` the interpreter pretends to be, so that its
    /// site-packages (datadog-checks-base and integrations) are importable.
    public var venv: String
    /// Directories of custom checks (`--checks-dir`), appended to `sys.path`.
    public var checksDirs: [String]
    /// Trace Python allocations and attribute each run's net growth to its check.
    public var tracemalloc: Bool

    public init(venv: String, checksDirs: [String] = [], tracemalloc: Bool = false) {
        self.venv = venv
        self.checksDirs = checksDirs
        self.tracemalloc = tracemalloc
    }

    /// `--python-venv` unset: `./.venv` (a development checkout after `make setup`) when it
    /// exists, else `/opt/vigil/venv` (the container image and packages).
    public static func defaultVenv(currentDirectory: String? = nil) -> String {
        let development = (currentDirectory ?? FileManager.default.currentDirectoryPath) + "/.venv"
        return FileManager.default.fileExists(atPath: development + "/bin/python3") ? development : "/opt/vigil/venv"
    }

    var program: String { venv + "/bin/python3" }
}

/// Why the interpreter did not start.
public struct PythonStartError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

#if Python
import CPython
import CVigilPython

/// The embedded CPython: started once per process (CPython cannot be started twice), the GIL
/// released after start-up. Python then runs only on threads that take the GIL for one
/// synchronous call at a time: scheduler workers for runs, the loader's queue for loads, and
/// the interpreter's control thread for interrupts, `cancel()` and releases.
public final class PythonInterpreter: Sendable {
    public let venv: String
    let control = PythonControlThread()
    private let host: PythonRef
    private let functions: Functions

    private struct Functions: Sendable {
        var load: PythonRef
        var run: PythonRef
        var cancel: PythonRef
        var addPaths: PythonRef
        var startTracemalloc: PythonRef
    }

    private static let instance = Mutex<Result<PythonInterpreter, PythonStartError>?>(nil)

    /// Starts the interpreter, or returns the one already started with the same configuration.
    /// - Parameter services: what `datadog_agent` answers with; replaces earlier services.
    public static func start(_ configuration: PythonConfiguration, services: PythonHostServices) throws(PythonStartError) -> PythonInterpreter {
        PythonRoutes.shared.hostServices = services
        let result: Result<PythonInterpreter, PythonStartError> = instance.withLock { current in
            if let current {
                if case .success(let interpreter) = current, interpreter.venv != configuration.venv {
                    return .failure(PythonStartError(description: "Python already runs from \(interpreter.venv); cannot switch to \(configuration.venv)"))
                }
                return current
            }
            let started = Result { () throws(PythonStartError) in try PythonInterpreter(configuration) }
            current = started
            return started
        }
        let interpreter = try result.get()
        interpreter.addPaths(configuration.checksDirs)
        if configuration.tracemalloc { interpreter.startTracemalloc() }
        return interpreter
    }

    private init(_ configuration: PythonConfiguration) throws(PythonStartError) {
        venv = configuration.venv
        guard FileManager.default.isExecutableFile(atPath: configuration.program) else {
            throw PythonStartError(description: "no Python virtual environment at \(configuration.venv) (\(configuration.program) is missing); create it with `make setup` or point --python-venv at one with datadog-checks-base installed")
        }
        var callbacks = PythonCallbacks.table()
        vpb_set_callbacks(&callbacks)
        var error = vpb_error()
        var module: UnsafeMutableRawPointer?
        let status = vpb_start(configuration.program, nil, 0, PythonHostModule.name, PythonHostModule.source, &module, &error)
        guard status == 0, let module else {
            throw PythonStartError(description: "cannot start Python from \(configuration.venv): \(PythonText.string(error))")
        }
        host = PythonRef(pointer: module)
        let state = vpb_gil_acquire()
        defer { vpb_gil_release(state) }
        let hostModule = host
        func function(_ name: String) throws(PythonStartError) -> PythonRef {
            guard let object = PyObject_GetAttrString(hostModule.pointer.assumingMemoryBound(to: PyObject.self), name) else {
                PyErr_Clear()
                throw PythonStartError(description: "Vigil's host module has no \(name)()")
            }
            return PythonRef(pointer: UnsafeMutableRawPointer(object))
        }
        functions = Functions(load: try function("load"), run: try function("run"), cancel: try function("cancel"),
                              addPaths: try function("add_paths"), startTracemalloc: try function("start_tracemalloc"))
    }

    /// Starts tracing Python allocations (25 frames), once; runs measured from now on can
    /// attribute their net growth to their check.
    func startTracemalloc() {
        control.sync { [self] in
            withGIL {
                if let result = call(functions.startTracemalloc, [PyLong_FromLong(25)]) { vpb_decref(result) } else { PyErr_Clear() }
            }
        }
    }

    /// Runs `body` holding the GIL. Never call from the Swift concurrency pool.
    func withGIL<T>(_ body: () throws -> T) rethrows -> T {
        let state = vpb_gil_acquire()
        defer { vpb_gil_release(state) }
        return try body()
    }

    /// Calls a host function; the arguments are new references (stolen; a nil argument fails
    /// the call). Returns a new reference, or nil with the Python error taken.
    func call(_ function: PythonRef, _ arguments: [PyObjectPointer?]) -> PyObjectPointer? {
        Self.call(function, arguments)
    }

    static func call(_ function: PythonRef, _ arguments: [PyObjectPointer?]) -> PyObjectPointer? {
        guard let tuple = PyTuple_New(arguments.count) else { return nil }
        var complete = true
        for (index, argument) in arguments.enumerated() {
            if let argument { PyTuple_SetItem(tuple, index, argument) } else { complete = false }
        }
        guard complete else {
            vpb_decref(tuple)
            return nil
        }
        let result = PyObject_CallObject(function.pointer.assumingMemoryBound(to: PyObject.self), tuple)
        vpb_decref(tuple)
        return result
    }

    /// Directories whose modules are custom checks (`--checks-dir`), appended to `sys.path`.
    public func addPaths(_ paths: [String]) {
        control.sync { [self] in
            withGIL {
                let list = PyList_New(0)!
                for path in paths {
                    if let item = PythonValue.string(path) {
                        PyList_Append(list, item)
                        vpb_decref(item)
                    }
                }
                if let result = call(functions.addPaths, [list]) { vpb_decref(result) } else { PyErr_Clear() }
            }
        }
    }

    // MARK: - Loading and running (GIL held by the caller)

    enum LoadOutcome {
        case loaded(PythonRef, version: String)
        case notFound(String)
        case failed(String)
        case skipped(String)
    }

    func load(name: String, initConfig: PyObjectPointer, instance: PyObjectPointer, checkID: String) -> LoadOutcome {
        guard let result = call(functions.load, [PythonValue.string(name), initConfig, instance, PythonValue.string(checkID)]) else {
            return .failed("the python loader failed: \(Self.takeError())")
        }
        defer { vpb_decref(result) }
        let kind = PythonText.string(PyTuple_GetItem(result, 0))
        switch kind {
        case "loaded":
            guard let check = PyTuple_GetItem(result, 1) else { return .failed("the python loader returned no check") }
            vpb_incref(check)
            return .loaded(PythonRef(pointer: UnsafeMutableRawPointer(check)), version: PythonText.string(PyTuple_GetItem(result, 2)))
        case "notfound": return .notFound(PythonText.string(PyTuple_GetItem(result, 1)))
        case "skipped": return .skipped(PythonText.string(PyTuple_GetItem(result, 1)))
        default: return .failed(PythonText.string(PyTuple_GetItem(result, 1)))
        }
    }

    struct RunOutcome {
        var error: CheckRunError?
        var warnings: [String]
        var allocatedBytes: Int64
    }

    func run(_ check: PythonRef, measure: Bool) -> RunOutcome {
        vpb_incref(check.pointer)
        guard let result = call(functions.run, [check.pointer.assumingMemoryBound(to: PyObject.self),
                                                PythonValue.object(vpb_bool(measure ? 1 : 0))]) else {
            let (message, traceback) = Self.takeErrorParts()
            return RunOutcome(error: CheckRunError("error invoking 'run' method: \(message)", traceback: traceback), warnings: [], allocatedBytes: 0)
        }
        defer { vpb_decref(result) }
        let failed = PythonText.int(PyTuple_GetItem(result, 0)) != 0
        let traceback = PythonText.string(PyTuple_GetItem(result, 2))
        return RunOutcome(error: failed ? CheckRunError(PythonText.string(PyTuple_GetItem(result, 1)),
                                                        traceback: traceback.isEmpty ? nil : traceback) : nil,
                          warnings: PythonText.strings(PyTuple_GetItem(result, 3)),
                          allocatedBytes: PythonText.int(PyTuple_GetItem(result, 4)))
    }

    func cancel(_ check: PythonRef) {
        vpb_incref(check.pointer)
        if let result = call(functions.cancel, [check.pointer.assumingMemoryBound(to: PyObject.self)]) {
            vpb_decref(result)
        } else {
            PyErr_Clear()
        }
    }

    /// Drops a reference from any thread: the decref happens on the control thread, with the GIL.
    func release(_ object: PythonRef) {
        control.async { [self] in withGIL { vpb_decref(object.pointer) } }
    }

    static func takeError() -> String {
        let (message, traceback) = takeErrorParts()
        return traceback.map { "\(message)\n\($0)" } ?? message
    }

    static func takeErrorParts() -> (String, String?) {
        var message = vpb_error(), traceback = vpb_error()
        guard vpb_take_exception(&message, &traceback) == 0 else { return ("unknown error", nil) }
        let trace = PythonText.string(traceback)
        return (PythonText.string(message), trace.isEmpty ? nil : trace)
    }
}
#endif
