#if Python
import CPython
#endif

/// Whether this build embeds CPython (the `Python` package trait, on by default) and which.
/// `swift build --disable-default-traits` builds Vigil without libpython.
public enum PythonSupport {
    #if Python
    public static let isBuiltIn = true
    /// The linked libpython's version line; `Py_GetVersion` is safe before initialisation.
    public static var version: String? { String(cString: Py_GetVersion()) }
    #else
    public static let isBuiltIn = false
    public static var version: String? { nil }
    #endif

    /// One line for `vigil --version` and status.
    public static var summary: String {
        guard let version else { return "built without Python support" }
        return "Python \(version.prefix { $0 != " " }) embedded"
    }
}
