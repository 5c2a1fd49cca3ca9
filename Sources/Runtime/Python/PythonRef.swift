#if Python
import CVigilPython

/// A strong reference to a Python object that may cross threads. It is touched only with the
/// GIL held; ``PythonInterpreter/release(_:)`` gives it back on the interpreter's own thread.
struct PythonRef: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
#endif
