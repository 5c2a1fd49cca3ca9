import VigilYAML

/// Writes a check config as YAML in a randomly chosen style: key order, block or flow
/// collections, quoting style, boolean/null/integer spellings, indentation, comments, blank
/// lines, and anchors/aliases for repeated maps. Every style reads back to the same values.
struct StyledYAMLEmitter {
    var rng: SeededGenerator
    let indentWidth: Int
    let flowChance: Double
    let commentChance: Double
    let useAnchors: Bool
    private var repeatCounts: [[UInt8]: Int] = [:]
    private var anchors: [[UInt8]: String] = [:]

    init(seed: Int) {
        rng = SeededGenerator(seed: seed)
        indentWidth = rng.pick([2, 3, 4])
        flowChance = rng.pick([0.0, 0.3, 0.8])
        commentChance = rng.pick([0.0, 0.3])
        useAnchors = rng.chance(0.5)
    }

    mutating func file(initConfig: ConfigValue, instances: [ConfigValue]) -> String {
        if useAnchors {
            for instance in instances { countCollections(instance) }
        }
        var out = "# generated config\n"
        let initFirst = rng.chance(0.7)
        // Anchors must precede their aliases, so render in the order the text is written.
        if initFirst { out += initConfigText(initConfig) }
        out += "instances:\n"
        for instance in instances {
            if rng.chance(commentChance) { out += "\n  # an instance\n" }
            out += sequenceItem(instance, indent: indentWidth)
        }
        if !initFirst { out += initConfigText(initConfig) }
        return out
    }

    private mutating func initConfigText(_ initConfig: ConfigValue) -> String {
        if initConfig.isNull || (rng.chance(0.3) && initConfig == .mapping([])) {
            return "init_config:\(rng.chance(0.5) ? "" : " ~")\n"
        }
        return "init_config:" + block(initConfig, indent: indentWidth) + "\n"
    }

    // MARK: - Block style

    /// A value after `key:`: either ` scalar`/` flow` on the same line or a newline and a block.
    private mutating func block(_ value: ConfigValue, indent: Int) -> String {
        switch value {
        case .mapping(let pairs) where !pairs.isEmpty && !rng.chance(flowChance):
            if let alias = aliasFor(value, defining: false) { return " " + alias }
            var out = anchorPrefix(value)
            if !out.isEmpty { out = " " + out.dropLast() }
            for pair in order(pairs) {
                if rng.chance(commentChance) { out += "\n" + pad(indent) + "# note" }
                out += "\n" + pad(indent) + key(pair.key.value) + ":" + block(pair.value.value, indent: indent + indentWidth)
            }
            return out
        case .sequence(let items) where !items.isEmpty && !rng.chance(flowChance):
            var out = ""
            for item in items {
                out += "\n" + pad(indent) + "- " + inlineOrFlow(item.value)
            }
            return out
        default:
            // flow() places anchors and aliases itself.
            var text = " " + inlineOrFlow(value)
            if isScalar(value), rng.chance(commentChance) { text += "  # trailing comment" }
            return text
        }
    }

    private mutating func sequenceItem(_ value: ConfigValue, indent: Int) -> String {
        guard case .mapping(let pairs) = value, !pairs.isEmpty else { return pad(indent) + "- " + flow(value) + "\n" }
        if rng.chance(flowChance) { return pad(indent) + "- " + flow(value) + "\n" }
        let ordered = order(pairs)
        var out = pad(indent) + "-"
        let inner = indent + 2
        if rng.chance(0.5) {
            out += "\n" + pad(inner) + key(ordered[0].key.value) + ":" + block(ordered[0].value.value, indent: inner + indentWidth)
        } else {
            out += " " + key(ordered[0].key.value) + ":" + block(ordered[0].value.value, indent: inner + indentWidth)
        }
        for pair in ordered.dropFirst() {
            if rng.chance(commentChance) { out += "\n" }
            out += "\n" + pad(inner) + key(pair.key.value) + ":" + block(pair.value.value, indent: inner + indentWidth)
        }
        return out + "\n"
    }

    private mutating func inlineOrFlow(_ value: ConfigValue) -> String {
        isScalar(value) ? scalar(value) : flow(value)
    }

    // MARK: - Flow style

    private mutating func flow(_ value: ConfigValue) -> String {
        if let alias = aliasFor(value, defining: false) { return alias }
        let prefix = anchorPrefix(value)
        switch value {
        case .mapping(let pairs):
            let entries = order(pairs).map { pair -> String in
                let v = pair.value.value
                // `{a: }` is null too, but keep the flow forms simple and explicit.
                return key(pair.key.value) + ": " + flow(v)
            }
            return prefix + "{" + entries.joined(separator: rng.pick([", ", ","])) + "}"
        case .sequence(let items):
            return prefix + "[" + items.map { flow($0.value) }.joined(separator: rng.pick([", ", ","])) + "]"
        default:
            return prefix + scalar(value, inFlow: true)
        }
    }

    // MARK: - Scalars

    private func isScalar(_ value: ConfigValue) -> Bool {
        switch value {
        case .mapping, .sequence, .set, .pairs: return false
        default: return true
        }
    }

    private mutating func key(_ value: ConfigValue) -> String {
        scalar(value, inFlow: true)
    }

    private mutating func scalar(_ value: ConfigValue, inFlow: Bool = false) -> String {
        switch value {
        case .null: return rng.pick(["~", "null", "Null", "NULL"])
        case .bool(let b): return b ? rng.pick(["true", "True", "yes", "on", "ON"]) : rng.pick(["false", "no", "Off", "FALSE"])
        case .int(let i):
            if i >= 0, rng.chance(0.3) { return "0x" + String(i, radix: 16) }
            if abs(i) >= 1000, rng.chance(0.3) {
                var digits = String(abs(i))
                digits.insert("_", at: digits.index(digits.endIndex, offsetBy: -3))
                return (i < 0 ? "-" : "") + digits
            }
            return (i > 0 && rng.chance(0.2) ? "+" : "") + String(i)
        case .float(let d):
            let text = String(d)
            return rng.chance(0.3) ? text + "0" : text
        case .string(let s): return string(s)
        default: return TypedJSON.encode(value)
        }
    }

    private mutating func string(_ s: String) -> String {
        let plainSafe = !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
            && s.first!.isLetter && !["yes", "no", "on", "off", "true", "false", "null", "y", "n"].contains(s)
        if plainSafe, rng.chance(0.6) { return s }
        if !s.contains("\n"), !s.contains("\t"), rng.chance(0.5) {
            return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += rng.chance(0.5) ? "\\t" : "\\x09"
            case "é": out += rng.chance(0.5) ? "\\u00e9" : "é"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: - Anchors and layout

    private mutating func countCollections(_ value: ConfigValue) {
        switch value {
        case .mapping(let pairs):
            repeatCounts[RandomConfig.canonicalBytes(value), default: 0] += 1
            for pair in pairs { countCollections(pair.value.value) }
        case .sequence(let items):
            if !items.isEmpty { repeatCounts[RandomConfig.canonicalBytes(value), default: 0] += 1 }
            for item in items { countCollections(item.value) }
        default:
            break
        }
    }

    private mutating func aliasFor(_ value: ConfigValue, defining: Bool) -> String? {
        guard useAnchors, !isScalar(value) else { return nil }
        return anchors[RandomConfig.canonicalBytes(value)].map { "*" + $0 }
    }

    /// `&aN ` before the first of several identical nested collections.
    private mutating func anchorPrefix(_ value: ConfigValue) -> String {
        guard useAnchors, !isScalar(value) else { return "" }
        let bytes = RandomConfig.canonicalBytes(value)
        guard (repeatCounts[bytes] ?? 0) > 1, anchors[bytes] == nil else { return "" }
        let name = "a\(anchors.count)"
        anchors[bytes] = name
        return "&\(name) "
    }

    private mutating func order(_ pairs: [ConfigPair]) -> [ConfigPair] {
        pairs.shuffled(using: &rng)
    }

    private func pad(_ count: Int) -> String { String(repeating: " ", count: count) }
}
