// Tag URIs that PyYAML's SafeConstructor knows for collections, and how to show tags in errors.

enum TagNames {
    static let seq = ScalarTag.yamlPrefix + "seq"
    static let map = ScalarTag.yamlPrefix + "map"
    static let omap = ScalarTag.yamlPrefix + "omap"
    static let pairs = ScalarTag.yamlPrefix + "pairs"
    static let set = ScalarTag.yamlPrefix + "set"

    static let sequenceTags: Set<String> = [seq, omap, pairs]
    static let mappingTags: Set<String> = [map, set]

    /// `!!int` for `tag:yaml.org,2002:int`; other tags as written.
    static func short(_ uri: String) -> String {
        uri.hasPrefix(ScalarTag.yamlPrefix) ? "!!" + uri.dropFirst(ScalarTag.yamlPrefix.count) : uri
    }

    static func unknown(_ uri: String, kind: String) -> String {
        let known = ScalarTag(uri: uri) != nil || sequenceTags.contains(uri) || mappingTags.contains(uri)
        if known { return "tag '\(short(uri))' cannot be applied to \(kind)" }
        return "could not determine a constructor for the tag '\(short(uri))'"
    }
}
