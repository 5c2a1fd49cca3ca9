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

    /// Substitutes throughout `node`, collecting one message per unset variable use. The tree
    /// is rebuilt only along paths where a placeholder was found.
    public func apply(_ node: ConfigNode, problems: inout [(mark: Mark, message: String)]) -> ConfigNode {
        var result = node
        switch node.value {
        case .string(let s):
            guard Self.containsPlaceholder(s) else { return node }
            result.value = .string(substitute(s, at: node.mark, problems: &problems))
        case .sequence(let items):
            guard let changed = applyAll(items, &problems) else { return node }
            result.value = .sequence(changed)
        case .set(let items):
            guard let changed = applyAll(items, &problems) else { return node }
            result.value = .set(changed)
        case .mapping(let pairs):
            guard let changed = applyAll(pairs, &problems) else { return node }
            Self.reportKeysMadeEqual(changed, original: pairs, &problems)
            result.value = .mapping(changed)
        case .pairs(let pairs):
            guard let changed = applyAll(pairs, &problems) else { return node }
            result.value = .pairs(changed)
        default:
            break
        }
        return result
    }

    /// nil when nothing inside changed.
    private func applyAll(_ items: [ConfigNode], _ problems: inout [(mark: Mark, message: String)]) -> [ConfigNode]? {
        guard let first = items.firstIndex(where: Self.mayContainPlaceholder) else { return nil }
        var copy = items
        for index in first..<copy.count { copy[index] = apply(copy[index], problems: &problems) }
        return copy
    }

    private func applyAll(_ pairs: [ConfigPair], _ problems: inout [(mark: Mark, message: String)]) -> [ConfigPair]? {
        guard let first = pairs.firstIndex(where: { Self.mayContainPlaceholder($0.key) || Self.mayContainPlaceholder($0.value) }) else {
            return nil
        }
        var copy = pairs
        for index in first..<copy.count {
            copy[index] = ConfigPair(key: apply(copy[index].key, problems: &problems), value: apply(copy[index].value, problems: &problems))
        }
        return copy
    }

    /// A substituted key can equal another key of its mapping; that is a duplicate key too.
    private static func reportKeysMadeEqual(_ pairs: [ConfigPair], original: [ConfigPair], _ problems: inout [(mark: Mark, message: String)]) {
        var seen: [String: Mark] = [:]
        for (index, pair) in pairs.enumerated() {
            guard case .string(let key) = pair.key.value else { continue }
            if let first = seen[key] {
                let was = original[index].key.value.stringValue ?? key
                problems.append((pair.key.mark, "key '\(was)' becomes '\(key)' after substitution, a duplicate of the key at line \(first.line), column \(first.column)"))
            } else {
                seen[key] = pair.key.mark
            }
        }
    }

    private static func mayContainPlaceholder(_ node: ConfigNode) -> Bool {
        switch node.value {
        case .string(let s): return containsPlaceholder(s)
        case .sequence(let items), .set(let items): return items.contains(where: mayContainPlaceholder)
        case .mapping(let pairs), .pairs(let pairs):
            return pairs.contains { mayContainPlaceholder($0.key) || mayContainPlaceholder($0.value) }
        default: return false
        }
    }

    private static let openBytes = Array("%%env_".utf8)

    /// A byte scan for `%%env_`; most strings have no `%` at all.
    static func containsPlaceholder(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 8 else { return false }
            var index = 0
            while index + 6 <= bytes.count {
                if bytes[index] == 0x25, bytes[index + 1] == 0x25, bytes[index + 2] == 0x65,
                   bytes[index + 3] == 0x6E, bytes[index + 4] == 0x76, bytes[index + 5] == 0x5F {
                    return true
                }
                index += 1
            }
            return false
        }
    }

    private static let open = "%%env_"

    func substitute(_ text: String, at mark: Mark, problems: inout [(mark: Mark, message: String)]) -> String {
        guard Self.containsPlaceholder(text) else { return text }
        var output = ""
        var rest = text[...]
        while let start = rest.range(of: Self.open) {
            output += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.range(of: "%%") else {
                output += rest[start.lowerBound...]
                rest = rest[rest.endIndex...]
                break
            }
            let name = afterOpen[..<close.lowerBound]
            let valid = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !valid {
                problems.append((mark, "'%%env_\(name)%%' does not name an environment variable (names are letters, digits and _)"))
                output += rest[start.lowerBound..<close.upperBound]
            } else if let value = environment[String(name)] {
                output += value
            } else {
                problems.append((mark, "environment variable \(name) is not set (used as %%env_\(name)%%)"))
                output += "%%env_\(name)%%"
            }
            rest = afterOpen[close.upperBound...]
        }
        return output + rest
    }
}

#if canImport(Foundation)
import Foundation
#endif
