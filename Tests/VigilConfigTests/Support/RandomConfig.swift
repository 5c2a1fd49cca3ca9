import VigilYAML

/// Random check configs with realistic shapes: instances with scalar options, nested option
/// maps, label lists, and nested maps shared between instances (so anchors have something to
/// stand for). Reserved options are left out: they are type-checked, and these tests are about
/// identity, not validation.
enum RandomConfig {
    static let keys = ["host", "port", "url", "user", "ssl", "retries", "paths", "labels", "options",
                       "endpoint", "database", "weight", "ratio", "mode", "extra_headers", "queues"]
    static let words = ["alpha", "beta", "prod", "db_main", "cache", "eu_west", "x1", "metrics"]
    /// Strings that must be quoted to stay strings, or need escapes.
    static let trickyStrings = ["yes", "on", "1.5", "017", "~", "null", "a: b", "#hash", "it's", "say \"hi\"",
                                "", " padded ", "tab\there", "line\nbreak", "é ü 😀", "- dash", "[x]", "2001-12-14", "0x1F", "1:30"]

    static func scalar(_ rng: inout SeededGenerator) -> ConfigValue {
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: return .int(Int64.random(in: -5000...5000, using: &rng))
        case 1: return .float(Double(Int.random(in: -400...400, using: &rng)) / 8 + 0.125)
        case 2: return .bool(rng.chance(0.5))
        case 3: return .null
        case 4: return .string(rng.pick(trickyStrings))
        default: return .string(rng.pick(words))
        }
    }

    static func value(depth: Int, _ rng: inout SeededGenerator) -> ConfigValue {
        guard depth < 2 else { return scalar(&rng) }
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return .sequence((0..<Int.random(in: 0...3, using: &rng)).map { _ in ConfigNode(scalar(&rng)) })
        case 1: return mapping(keyCount: Int.random(in: 0...3, using: &rng), depth: depth + 1, &rng)
        default: return scalar(&rng)
        }
    }

    static func mapping(keyCount: Int, depth: Int, _ rng: inout SeededGenerator) -> ConfigValue {
        let chosen = Array(keys.shuffled(using: &rng).prefix(keyCount))
        return .mapping(chosen.map { key in ConfigPair(key: ConfigNode(.string(key)), value: ConfigNode(value(depth: depth, &rng))) })
    }

    /// init_config and a few instances, some of which share one nested map.
    static func file(_ rng: inout SeededGenerator) -> (initConfig: ConfigValue, instances: [ConfigValue]) {
        let initConfig = rng.chance(0.3) ? ConfigValue.null : mapping(keyCount: Int.random(in: 0...3, using: &rng), depth: 1, &rng)
        let shared = mapping(keyCount: 2, depth: 1, &rng)
        var instances: [ConfigValue] = []
        var seen: Set<[UInt8]> = []
        while instances.count < Int.random(in: 2...4, using: &rng) + (instances.isEmpty ? 0 : 0) {
            guard case .mapping(var pairs) = mapping(keyCount: Int.random(in: 1...5, using: &rng), depth: 0, &rng) else { continue }
            if rng.chance(0.5) {
                pairs.removeAll { $0.key.value == .string("shared") }
                pairs.append(ConfigPair(key: ConfigNode(.string("shared")), value: ConfigNode(shared)))
            }
            pairs.append(ConfigPair(key: ConfigNode(.string("id")), value: ConfigNode(.int(Int64(instances.count)))))
            let instance = ConfigValue.mapping(pairs)
            // Instances are distinct by construction (the id key), as real files' are.
            if seen.insert(canonicalBytes(instance)).inserted { instances.append(instance) }
        }
        return (initConfig, instances)
    }

    static func canonicalBytes(_ value: ConfigValue) -> [UInt8] {
        Array(TypedJSON.encode(value, sortKeys: true).utf8)
    }
}
