/// The tags a scalar can carry in PyYAML's `SafeLoader`, resolved implicitly or written out.
enum ScalarTag: Sendable, Equatable {
    case null, bool, int, float, timestamp, str, binary
    /// `<<`: only meaningful as a mapping key.
    case merge
    /// `=`: PyYAML turns it into a string as a key and has no constructor for it elsewhere.
    case value

    static let yamlPrefix = "tag:yaml.org,2002:"

    /// The scalar tag for a full tag URI, or nil when `SafeLoader` has no scalar constructor.
    init?(uri: String) {
        guard uri.hasPrefix(Self.yamlPrefix) else { return nil }
        switch uri.dropFirst(Self.yamlPrefix.count) {
        case "null": self = .null
        case "bool": self = .bool
        case "int": self = .int
        case "float": self = .float
        case "timestamp": self = .timestamp
        case "str": self = .str
        case "binary": self = .binary
        case "merge": self = .merge
        case "value": self = .value
        default: return nil
        }
    }

    var uri: String {
        switch self {
        case .null: return Self.yamlPrefix + "null"
        case .bool: return Self.yamlPrefix + "bool"
        case .int: return Self.yamlPrefix + "int"
        case .float: return Self.yamlPrefix + "float"
        case .timestamp: return Self.yamlPrefix + "timestamp"
        case .str: return Self.yamlPrefix + "str"
        case .binary: return Self.yamlPrefix + "binary"
        case .merge: return Self.yamlPrefix + "merge"
        case .value: return Self.yamlPrefix + "value"
        }
    }
}
