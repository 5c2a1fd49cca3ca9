/// A YAML value as PyYAML's `safe_load` constructs it, with every scalar already typed.
///
/// Children are ``ConfigNode``s, which add the source position of each value; positions never
/// take part in equality. Cases map one to one onto the Python objects `safe_load` returns:
/// `None`, `bool`, `int` (``int`` and, beyond 64 bits, ``bigInt``), `float`, `str`, `bytes`
/// (``binary``), `datetime`/`date` (``timestamp``), `list`, `dict`, `set` and the list of
/// tuples that `!!omap` and `!!pairs` produce (``pairs``).
public enum ConfigValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// An integer outside the 64-bit range; PyYAML's integers are unbounded.
    case bigInt(BigInteger)
    case float(Double)
    case string(String)
    case binary([UInt8])
    case timestamp(YAMLTimestamp)
    case sequence([ConfigNode])
    /// Key/value pairs in document order; keys are unique (the parser rejects duplicates).
    case mapping([ConfigPair])
    /// `!!set`: the keys of a mapping whose values are all null.
    case set([ConfigNode])
    /// `!!omap` and `!!pairs`: an ordered list of key/value pairs, duplicates allowed.
    case pairs([ConfigPair])
}

/// A value together with where it starts in its file.
public struct ConfigNode: Sendable {
    public var value: ConfigValue
    public var mark: Mark

    public init(_ value: ConfigValue, at mark: Mark = .start) {
        self.value = value
        self.mark = mark
    }
}

/// One entry of a mapping.
public struct ConfigPair: Sendable {
    public var key: ConfigNode
    public var value: ConfigNode

    public init(key: ConfigNode, value: ConfigNode) {
        self.key = key
        self.value = value
    }
}
