public import VigilConfig
import VigilYAML

/// The ordered loaders (native, python, exec), tried in order for each instance, the first
/// success winning; or only the one a `loader:` pin names. Every attempted loader's error is
/// kept, keyed by loader, for status, including a pinned loader's, which the Datadog Agent
/// drops (COMPAT-DATADOG.md §4).
public struct LoaderChain: Sendable {
    public let loaders: [any CheckLoader]

    public init(_ loaders: [any CheckLoader]) {
        self.loaders = loaders
    }

    public var names: [String] { loaders.map(\.name) }

    /// Per-loader errors as one line, in the order the chain tries its loaders (native,
    /// python, exec), so it reads as the story of the attempts; unknown names last.
    public static func describe(_ errors: [String: String]) -> String {
        let order = ["native", "core", "python", "exec"]
        return errors.sorted { a, b in
            let ra = order.firstIndex(of: a.key) ?? order.count, rb = order.firstIndex(of: b.key) ?? order.count
            return ra != rb ? ra < rb : a.key < b.key
        }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }

    public enum Outcome: Sendable {
        case loaded(loader: String, check: any Check)
        /// Nothing loaded: each attempted loader's message, and whether a pin limited the chain.
        case failed(errors: [String: String], pinned: String?)
        /// Deliberately not run (a JMX instance).
        case skipped(reason: String)
    }

    /// `core` is the Datadog Agent's name for its Go checks: pinned Agent configs keep working.
    static func canonicalPin(_ pin: String) -> String {
        pin == "core" ? "native" : pin
    }

    public func load(_ spec: CheckSpec, context: LoadContext) -> Outcome {
        if spec.options.loader == "jmx" || spec.instance["is_jmx"]?.value == .bool(true) {
            return .skipped(reason: "JMX instance: Vigil does not run JMX checks")
        }
        var candidates = loaders
        var pinned: String?
        if let pin = spec.options.loader {
            let name = Self.canonicalPin(pin)
            pinned = name
            guard let loader = loaders.first(where: { $0.name == name }) else {
                return .failed(errors: [name: "pinned loader '\(pin)' does not exist (this build has: \(names.joined(separator: ", ")))"],
                               pinned: name)
            }
            candidates = [loader]
        }
        var errors: [String: String] = [:]
        for loader in candidates {
            do {
                return .loaded(loader: loader.name, check: try loader.load(spec, context: context))
            } catch where error.kind == .declined {
                return .skipped(reason: "\(loader.name): \(error.message)")
            } catch {
                errors[loader.name] = pinned == nil ? error.message : "pinned loader \(loader.name) failed: \(error.message)"
            }
        }
        return .failed(errors: errors, pinned: pinned)
    }
}

