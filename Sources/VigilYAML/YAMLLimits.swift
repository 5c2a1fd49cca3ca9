/// Bounds that keep a hostile or broken file from costing unbounded time or memory.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest accepted file, in bytes. Default 4 MiB (a Kubernetes ConfigMap holds at most 1 MiB).
    public var maxBytes: Int
    /// Most nodes that aliases may stand for in one document, counted as if expanded.
    /// Default 100,000: a "billion laughs" file fails as soon as it crosses this, long before it
    /// costs memory. (Literal nodes are bounded by `maxBytes`.)
    public var maxNodes: Int
    /// Deepest nesting of lists and mappings. Default 256. PyYAML's recursive constructor
    /// fails near 1,000; a lower bound keeps every recursive walk in Vigil safe.
    public var maxDepth: Int

    public init(maxBytes: Int = 4 << 20, maxNodes: Int = 100_000, maxDepth: Int = 256) {
        self.maxBytes = maxBytes
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
    }

    public static let `default` = YAMLLimits()
}
