/// The identity of one check instance: `<check>:<name>:<digest>` when the instance has a
/// `name` (or `namespace`), else `<check>:<digest>`. The check name is the part before the first
/// colon, as in the Datadog Agent; the digest is an ``InstanceDigest``.
public struct CheckID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(checkName: String, instanceName: String?, digest: InstanceDigest) {
        if let instanceName, !instanceName.isEmpty {
            rawValue = "\(checkName):\(Self.idSafe(instanceName)):\(digest.hex)"
        } else {
            rawValue = "\(checkName):\(digest.hex)"
        }
    }

    /// The instance name as it appears in an ID: colons (the ID's separator), whitespace and
    /// control characters become `_`, so an ID is one unambiguous token. The digest still
    /// tells apart names that map to the same text.
    static func idSafe(_ name: String) -> String {
        // The common case: plain ASCII names with nothing to replace.
        if name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x3A }) { return name }
        return String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            scalar == ":" || scalar.properties.isWhitespace || scalar.properties.generalCategory == .control ? "_" : scalar
        }))
    }

    /// The check name: everything before the first `:`.
    public var checkName: Substring { rawValue.prefix { $0 != ":" } }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
