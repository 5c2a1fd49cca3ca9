import VigilYAML

/// Reads and type-checks the reserved options of one instance (or init_config), collecting a
/// message with the option's position for each one that is wrong.
struct OptionReader {
    let path: String
    let node: ConfigNode
    private(set) var problems: [(mark: Mark, message: String)] = []

    init(path: String, node: ConfigNode) {
        self.path = path
        self.node = node
    }

    mutating func options() -> InstanceOptions {
        var options = InstanceOptions()
        if let seconds = seconds("min_collection_interval", minimum: 1, inclusive: true) {
            options.interval = seconds
        }
        options.instanceName = name("name") ?? name("namespace")
        options.tags = tags()
        options.service = string("service")
        options.loader = string("loader")
        options.emptyDefaultHostname = bool("empty_default_hostname") ?? false
        options.timeout = seconds("timeout", minimum: 0, inclusive: false)
        return options
    }

    private mutating func problem(_ mark: Mark, _ message: String) {
        problems.append((mark, message))
    }

    mutating func string(_ key: String) -> String? {
        guard let value = node.value[key], !value.value.isNull else { return nil }
        guard case .string(let s) = value.value else {
            problem(value.mark, "\(path).\(key) must be a string, found \(value.value.describedType)")
            return nil
        }
        return s
    }

    /// `name`/`namespace`: a string, or an integer taken as its digits; empty means none.
    private mutating func name(_ key: String) -> String? {
        guard let value = node.value[key], !value.value.isNull else { return nil }
        switch value.value {
        case .string(let s): return s.isEmpty ? nil : s
        case .int(let i): return String(i)
        default:
            problem(value.mark, "\(path).\(key) must be a string, found \(value.value.describedType)")
            return nil
        }
    }

    private mutating func bool(_ key: String) -> Bool? {
        guard let value = node.value[key], !value.value.isNull else { return nil }
        guard case .bool(let b) = value.value else {
            problem(value.mark, "\(path).\(key) must be true or false, found \(value.value.describedType)")
            return nil
        }
        return b
    }

    /// Ten years: beyond any sensible interval or timeout, and far inside Duration's range.
    static let maximumSeconds = 315_360_000.0

    private mutating func seconds(_ key: String, minimum: Double, inclusive: Bool) -> Duration? {
        guard let value = node.value[key], !value.value.isNull else { return nil }
        let number: Double?
        switch value.value {
        case .int, .float, .bigInt: number = value.value.numberValue
        default: number = nil
        }
        guard let number, number.isFinite else {
            if let number, !number.isFinite {
                let what = number.isNaN ? "NaN" : number < 0 ? "-infinity" : "infinity"
                problem(value.mark, "\(path).\(key) must be a finite number of seconds, found \(what)")
            } else {
                problem(value.mark, "\(path).\(key) must be a number of seconds, found \(value.value.describedType + quoted(value.value))")
            }
            return nil
        }
        guard inclusive ? number >= minimum : number > minimum else {
            let bound = inclusive ? "at least \(format(minimum))" : "greater than \(format(minimum))"
            problem(value.mark, "\(path).\(key) must be \(bound) second\(minimum == 1 ? "" : "s"), found \(format(number))")
            return nil
        }
        guard number <= Self.maximumSeconds else {
            problem(value.mark, "\(path).\(key) must be at most \(format(Self.maximumSeconds)) seconds (ten years), found \(format(number))")
            return nil
        }
        return .nanoseconds(Int64((number * 1e9).rounded()))
    }

    private mutating func tags() -> [String] {
        guard let value = node.value["tags"], !value.value.isNull else { return [] }
        guard case .sequence(let items) = value.value else {
            problem(value.mark, "\(path).tags must be a list of \"key:value\" strings, found \(value.value.describedType)")
            return []
        }
        var tags: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let tag) = item.value else {
                problem(item.mark, "\(path).tags[\(index)] must be a string, found \(item.value.describedType)\(quoted(item.value)) (quote it)")
                continue
            }
            tags.append(tag)
        }
        return tags
    }

    private func quoted(_ value: ConfigValue) -> String {
        switch value {
        case .string(let s): return " '\(s)'"
        case .int, .float, .bool, .bigInt: return " (\(TypedJSON.encode(value)))"
        default: return ""
        }
    }

    private func format(_ number: Double) -> String {
        number.isFinite && number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
