import Foundation

/// Byte-compiles the custom Python checks of `--checks-dir` with the venv's interpreter, so a
/// syntax error shows before `vigil run` fails to import the check.
///
/// Only the top level of each directory is compiled (`<dir>/*.py`), the files the Python loader
/// can import as `<check>` modules. The interpreter compiles each file in memory with
/// `compile(source, path, 'exec')`: no `.pyc` is written, nothing is imported or run.
struct PythonSyntaxCheck {
    /// Directories to look in; one that does not exist is skipped.
    var checksDirs: [String]
    /// The virtual environment whose `bin/python3` compiles.
    var venv: String

    /// What to print on stderr, and whether any file failed to compile.
    struct Outcome {
        var lines: [String] = []
        var failed = false
    }

    /// Runs in `python3 -I` (isolated: no PYTHON* variables, no user site, no script directory on
    /// `sys.path`). One JSON line per file that does not compile; the exit status is 0 either way.
    static let script = """
    import json, sys
    for path in sys.argv[1:]:
        try:
            with open(path, 'rb') as handle:
                source = handle.read()
            compile(source, path, 'exec', dont_inherit=True)
        except SyntaxError as error:
            print(json.dumps({'path': path, 'line': error.lineno, 'message': type(error).__name__ + ': ' + str(error.msg)}))
        except Exception as error:
            print(json.dumps({'path': path, 'line': None, 'message': type(error).__name__ + ': ' + str(error)}))
    """

    private struct Failure: Decodable {
        var path: String
        var line: Int?
        var message: String
    }

    /// The `*.py` files directly in `directory`, sorted by name (none when it does not exist),
    /// or why the directory cannot be listed.
    static func sources(in directory: String) -> (files: [String], problem: String?) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return ([], nil) }
        guard isDirectory.boolValue else { return ([], "\(directory): not a directory") }
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            return (names.filter { $0.hasSuffix(".py") && !$0.hasPrefix(".") }.sorted().compactMap { name in
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue ? path : nil
            }, nil)
        } catch {
            return ([], "\(directory): cannot list directory: \(error.localizedDescription)")
        }
    }

    func run() -> Outcome {
        var outcome = Outcome()
        var files: [String] = []
        for directory in checksDirs {
            let listing = Self.sources(in: directory)
            files += listing.files
            if let problem = listing.problem {
                outcome.lines.append(problem)
                outcome.failed = true
            }
        }
        guard !files.isEmpty else { return outcome }
        let python = venv + "/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            let count = files.count == 1 ? "1 Python check" : "\(files.count) Python checks"
            outcome.lines.append("warning: \(count) in \(checksDirs.joined(separator: ", ")) not compiled: no Python interpreter at "
                + "\(python) (set --python-venv or VIGIL_PYTHON_VENV); only the YAML was checked")
            return outcome
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-I", "-c", Self.script] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            outcome.lines.append("\(python): cannot start: \(error.localizedDescription)")
            outcome.failed = true
            return outcome
        }
        // Python's stderr is inherited: whatever it says on a crash reaches the user as is.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let failure = try? JSONDecoder().decode(Failure.self, from: Data(line)) else { continue }
            outcome.lines.append(failure.line.map { "\(failure.path):\($0): \(failure.message)" } ?? "\(failure.path): \(failure.message)")
            outcome.failed = true
        }
        if process.terminationStatus != 0 || process.terminationReason != .exit {
            outcome.lines.append("\(python) failed (status \(process.terminationStatus)) while compiling the Python checks")
            outcome.failed = true
        }
        return outcome
    }
}
