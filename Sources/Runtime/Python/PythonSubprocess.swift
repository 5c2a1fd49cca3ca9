#if Python
import Foundation

/// `_util.get_subprocess_output`: runs a command for a Python check with the GIL released,
/// the way exec plugins run (own process group, default signal dispositions, systemd's
/// variables withheld), stopped when the check's run is cancelled by a timeout.
enum PythonSubprocess {
    /// Output beyond this is read and dropped.
    static let outputCap = 16 * 1024 * 1024
    /// A command outside any run (in a check's `__init__`) gets this long.
    static let defaultTimeout = 600.0

    static let run: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?,
                                    UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, UnsafeMutablePointer<Int>?,
                                    UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, UnsafeMutablePointer<Int>?,
                                    UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 = {
        argv, envp, out, outLength, err, errLength, returnCode, error in
        let buffers = BoundaryBuffers.shared
        let arguments = strings(argv)
        let environment: [String: String]
        if envp != nil {
            var pairs: [String: String] = [:]
            for entry in strings(envp) {
                let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                pairs[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            environment = pairs
        } else {
            environment = ProcessInfo.processInfo.environment
        }
        guard let program = arguments.first, let resolved = resolve(program, path: environment["PATH"]) else {
            error?.pointee = buffers.copy("\(arguments.first ?? "") was not found")
            return -1
        }
        let cancellation = RunCancellation.current
        do {
            let result = try ChildProcess.run([resolved] + arguments.dropFirst(), environment: environment,
                                              timeout: defaultTimeout, outputCap: outputCap,
                                              cancelled: { cancellation?.isCancelled ?? false })
            switch result.ending {
            case .exited(let code): returnCode?.pointee = code
            case .signaled: returnCode?.pointee = -1
            case .timedOut:
                error?.pointee = buffers.copy("\(program) was stopped: the check's run was cancelled or took longer than \(Int(defaultTimeout)) s")
                return -1
            }
            out?.pointee = buffers.copy(result.stdout)
            outLength?.pointee = result.stdout.count
            err?.pointee = buffers.copy(result.stderr)
            errLength?.pointee = result.stderr.count
            return 0
        } catch let failure {
            error?.pointee = buffers.copy("\(failure)")
            return -1
        }
    }

    private static func strings(_ list: UnsafePointer<UnsafePointer<CChar>?>?) -> [String] {
        guard let list else { return [] }
        var result: [String] = []
        var index = 0
        while let item = list[index] {
            result.append(String(cString: item))
            index += 1
        }
        return result
    }

    private static func resolve(_ program: String, path: String?) -> String? {
        if program.contains("/") { return program }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
#endif
