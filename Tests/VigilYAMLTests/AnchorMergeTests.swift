import Testing
import VigilYAML

/// Aliases and `<<` merges follow PyYAML: merged entries come first, a list of merges gives
/// precedence to earlier mappings, and a mapping's own keys override every merged one.
@Suite struct AnchorMergeTests {
    static func parse(_ text: String) throws -> ConfigValue {
        try #require(try YAMLParser.parse(text)).value
    }

    static func map(_ entries: KeyValuePairs<String, ConfigValue>) -> ConfigValue {
        .mapping(entries.map { ConfigPair(key: ConfigNode(.string($0.key)), value: ConfigNode($0.value)) })
    }

    @Test func aliasRepeatsTheAnchoredValue() throws {
        let value = try Self.parse("a: &x {k: [1, 2]}\nb: *x\n")
        #expect(value["a"]?.value == value["b"]?.value)
        #expect(value["b"]?.value == Self.map(["k": .sequence([ConfigNode(.int(1)), ConfigNode(.int(2))])]))
    }

    @Test func ownKeysOverrideMergedKeys() throws {
        let value = try Self.parse("base: &b {timeout: 5, url: x}\nm:\n  url: y\n  <<: *b\n")
        #expect(value["m"]?.value == Self.map(["timeout": .int(5), "url": .string("y")]))
    }

    @Test func earlierMappingsInAMergeListWin() throws {
        let value = try Self.parse("a: &a {k: 1, only_a: 1}\nb: &b {k: 2, only_b: 2}\nm:\n  <<: [*a, *b]\n")
        #expect(value["m"]?.value == Self.map(["k": .int(1), "only_a": .int(1), "only_b": .int(2)]))
    }

    @Test func laterMergeKeysOverrideEarlierOnes() throws {
        let value = try Self.parse("a: &a {k: 1}\nb: &b {k: 2}\nm:\n  <<: *a\n  <<: *b\n")
        #expect(value["m"]?.value == Self.map(["k": .int(2)]))
    }

    @Test func quotedMergeKeyIsAPlainKey() throws {
        let value = try Self.parse("m: {\"<<\": not a merge}\n")
        #expect(value["m"]?.value == Self.map(["<<": .string("not a merge")]))
    }

    @Test func collectionTags() throws {
        let value = try Self.parse("s: !!set {a, b}\no: !!omap [x: 1, y: 2]\n")
        #expect(value["s"]?.value == .set([ConfigNode(.string("a")), ConfigNode(.string("b"))]))
        guard case .pairs(let pairs) = value["o"]?.value else {
            Issue.record("!!omap should give ordered pairs")
            return
        }
        #expect(pairs.map(\.key.value) == [.string("x"), .string("y")])
    }

    @Test func positionsAreKept() throws {
        let value = try Self.parse("init_config:\ninstances:\n  - host: a\n    port: 1\n")
        guard case .sequence(let items) = value["instances"]?.value else {
            Issue.record("instances should be a list")
            return
        }
        #expect(items[0].mark == Mark(line: 3, column: 5))
        #expect(items[0].value["port"]?.mark == Mark(line: 4, column: 11))
    }
}
