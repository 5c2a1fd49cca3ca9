public import Foundation

/// Paths the tests share: the repository, the Python venv `make test` creates, the real-world
/// config examples in `../shared/data`, and the built `vigil` binary.
public enum Repository {
    /// The repository root, found from this file's own path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The venv's python (`.venv/bin/python`, or `VIGIL_TEST_PYTHON`), when it exists and has
    /// PyYAML. `make test` creates it; tests that need it are skipped with this explanation
    /// when it is missing.
    public static let venvPython: String? = {
        let candidate = ProcessInfo.processInfo.environment["VIGIL_TEST_PYTHON"] ?? path(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }()

    public static let venvMissing = "needs the Python venv with PyYAML and datadog-checks-base: run `make test` (or `make setup`)"

    /// `../shared/data/datadog-conf-examples`: real integration config examples, present in the
    /// development workspace and absent from a user's clone.
    public static let datadogExamples: URL? = {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/data/datadog-conf-examples")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    public static let examplesMissing = "needs ../shared/data/datadog-conf-examples (present in the development workspace, not in a clone)"

    /// The `vigil` executable built next to the running test binary (or `VIGIL_BINARY`).
    public static let vigilBinary: String = {
        if let explicit = ProcessInfo.processInfo.environment["VIGIL_BINARY"] { return explicit }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The runner may sit inside `VigilPackageTests.xctest/`; the products are beside it.
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("vigil").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("vigil").path
    }()
}
