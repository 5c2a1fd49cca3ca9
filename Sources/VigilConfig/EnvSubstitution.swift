public import VigilYAML

/// `%%env_NAME%%` placeholders, replaced in every string (keys included) of init_config and
/// instances, as the Datadog Agent does in its re-serialized text. A value stays a string:
/// the Agent's YAML quoting keeps `'%%env_PORT%%'` a string after replacement too.
/// Unlike the Agent, which logs and keeps the placeholder, an unset variable is an error.
public struct EnvSubstitution: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Substitutes throughout `node`, collecting one message per unset variable use.
    public func apply(_ node: ConfigNode, problems: inout [(mark: Mark, message: String)]) -> ConfigNode {
        var result = node
        switch node.value {
        case .string(let s):
            result.value = .string(substitute(s, at: node.mark, problems: &problems))
        case .sequence(let items):
            result.value = .sequence(items.map { apply($0, problems: &problems) })
        case .set(let items):
            result.value = .set(items.map { apply($0, problems: &problems) })
        case .mapping(let pairs):
            result.value = .mapping(pairs.map { ConfigPair(key: apply($0.key, problems: &problems), value: apply($0.value, problems: &problems)) })
        case .pairs(let pairs):
            result.value = .pairs(pairs.map { ConfigPair(key: apply($0.key, problems: &problems), value: apply($0.value, problems: &problems)) })
        default:
            break
        }
        return result
    }

    private static let open = "%%env_"

    func substitute(_ text: String, at mark: Mark, problems: inout [(mark: Mark, message: String)]) -> String {
        guard text.contains(Self.open) else { return text }
        var output = ""
        var rest = text[...]
        while let start = rest.range(of: Self.open) {
            output += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            let name = afterOpen.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            guard !name.isEmpty, afterOpen[name.endIndex...].hasPrefix("%%") else {
                output += Self.open
                rest = afterOpen
                continue
            }
            if let value = environment[String(name)] {
                output += value
            } else {
                problems.append((mark, "environment variable \(name) is not set (used as %%env_\(name)%%)"))
                output += "%%env_\(name)%%"
            }
            rest = afterOpen[afterOpen.index(name.endIndex, offsetBy: 2)...]
        }
        return output + rest
    }
}
