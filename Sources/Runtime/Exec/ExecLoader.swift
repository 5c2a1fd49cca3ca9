import Foundation
public import VigilConfig
import VigilYAML

/// Loads instances that name a plugin to run: `command: [path, arg, …]` (an argv list: no
/// shell is involved), optional `env` (a mapping), and the instance `timeout` (default: its
/// interval). A bare program name is looked up on PATH when the instance is loaded; a missing
/// program is a load error, retried with backoff.
public struct ExecLoader: CheckLoader {
    public let name = "exec"
    private let environment: [String: String]

    /// - Parameter environment: what plugins inherit; nil for Vigil's own environment.
    public init(environment: [String: String]? = nil) {
        self.environment = environment ?? ProcessInfo.processInfo.environment
    }

    public func load(_ spec: CheckSpec, context: LoadContext) throws(LoadError) -> any Check {
        guard let command = spec.instance["command"] else {
            throw .notFound("no `command` in the instance (exec checks run `command: [path, args…]`)")
        }
        let argv: [String]
        switch command.value {
        case .sequence(let items) where !items.isEmpty:
            var words: [String] = []
            for (index, item) in items.enumerated() {
                switch item.value {
                case .string(let s): words.append(s)
                case .int, .float, .bigInt, .bool: words.append(TypedJSON.encode(item.value))
                default: throw .failed("command[\(index)] must be a string, found \(item.value.describedType)")
                }
            }
            argv = words
        case .string(let text):
            throw .failed("`command` must be a list of words, not the string \"\(text)\": Vigil runs no shell")
        default:
            throw .failed("`command` must be a non-empty list: [path, args…]")
        }
        var childEnvironment = environment
        if let env = spec.instance["env"] {
            guard case .mapping(let pairs) = env.value else { throw .failed("`env` must be a mapping of names to values") }
            for pair in pairs {
                guard let key = pair.key.value.stringValue else { throw .failed("`env` keys must be strings") }
                childEnvironment[key] = pair.value.value.stringValue ?? TypedJSON.encode(pair.value.value)
            }
        }
        let program = try resolve(argv[0], path: childEnvironment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        let timeout = spec.options.timeout ?? spec.options.interval
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return ExecCheck(checkName: spec.checkName, argv: [program] + argv.dropFirst(), environment: childEnvironment, timeout: seconds)
    }

    private func resolve(_ program: String, path: String) throws(LoadError) -> String {
        if program.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: program) else {
                throw .failed(FileManager.default.fileExists(atPath: program) ? "\(program) is not executable" : "\(program) does not exist")
            }
            return program
        }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .failed("\(program) was not found on PATH (\(path))")
    }
}
