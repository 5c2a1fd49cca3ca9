// Read access for the config model: look up string keys, name a value's type in messages.

extension ConfigValue {
    /// The value under a string key of a mapping, or nil.
    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let pairs) = self else { return nil }
        for pair in pairs {
            if case .string(let s) = pair.key.value, s.utf8.elementsEqual(key.utf8) { return pair.value }
        }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A number as a Double, for options measured in seconds. Booleans are not numbers here.
    public var numberValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bigInt(let b): return b.doubleValue
        default: return nil
        }
    }

    /// The type name with its article, for messages: "a string", "an integer".
    public var describedType: String {
        let name = typeName
        return (["integer", "ordered map"].contains(name) ? "an " : "a ") + name
    }

    /// The YAML type name, as an error message shows it ("expected a mapping, found a string").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .bigInt: return "integer"
        case .float: return "float"
        case .string: return "string"
        case .binary: return "binary"
        case .timestamp: return "timestamp"
        case .sequence: return "list"
        case .mapping: return "mapping"
        case .set: return "set"
        case .pairs: return "ordered map"
        }
    }

    /// The number of nodes this value holds, itself included.
    public var nodeCount: Int {
        switch self {
        case .sequence(let items), .set(let items):
            return items.reduce(1) { $0 + $1.value.nodeCount }
        case .mapping(let pairs), .pairs(let pairs):
            return pairs.reduce(1) { $0 + $1.key.value.nodeCount + $1.value.value.nodeCount }
        default:
            return 1
        }
    }
}
