/// The OpenMetrics text format's rules for names, label values and numbers
/// (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md,
/// "ABNF"), and how Datadog-style tags become labels.
enum OpenMetrics {
    /// A metric name as OpenMetrics allows it, `[a-zA-Z_:][a-zA-Z0-9_:]*`: dots (the Datadog
    /// namespace separator) and every other character become `_`; a leading digit gets a `_`
    /// in front.
    static func metricName(_ name: String) -> String {
        sanitize(name, allowColon: true)
    }

    /// A label name, `[a-zA-Z_][a-zA-Z0-9_]*`, by the same mapping (colons too become `_`).
    static func labelName(_ name: String) -> String {
        sanitize(name, allowColon: false)
    }

    private static func sanitize(_ name: String, allowColon: Bool) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_": out.unicodeScalars.append(scalar)
            case ":" where allowColon: out.unicodeScalars.append(scalar)
            default: out += "_"
            }
        }
        if out.isEmpty { return "_" }
        if let first = out.unicodeScalars.first, ("0"..."9").contains(first) { return "_" + out }
        return out
    }

    /// A label value between double quotes: `\`, `"` and newline escaped.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A number: integers without a fraction, `NaN`, `+Inf`, `-Inf` as the format spells them.
    static func value(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "+Inf" : "-Inf" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return number.description
    }

    /// Tags as labels, sorted by name. `key:value` splits at the first colon; a tag without a
    /// colon is a label with an empty value (`tag:"standalone"` → `standalone=""`). Keys are
    /// sanitised like label names; a key that lands on a name Vigil sets (`reserved`) or on a
    /// reserved `__` name is prefixed `tag_`. Several values for one name are joined with `,`
    /// in sorted order, duplicates once, an empty value dropped when there are others.
    static func labels(fromTags tags: [String], reserved: Set<String>) -> [(name: String, value: String)] {
        var values: [String: [String]] = [:]
        for tag in tags {
            let key: Substring, value: Substring
            if let colon = tag.firstIndex(of: ":") {
                key = tag[..<colon]
                value = tag[tag.index(after: colon)...]
            } else {
                key = tag[...]
                value = ""
            }
            var name = labelName(String(key))
            if reserved.contains(name) || name.hasPrefix("__") { name = "tag_" + name }
            values[name, default: []].append(String(value))
        }
        return values.keys.sorted().map { name in
            var distinct = Array(Set(values[name]!)).sorted()
            if distinct.count > 1 { distinct.removeAll { $0.isEmpty } }
            return (name, distinct.joined(separator: ","))
        }
    }
}
