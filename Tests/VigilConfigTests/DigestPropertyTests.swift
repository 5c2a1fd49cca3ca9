import PropertyBased
import Testing
import VigilConfig
import VigilYAML

/// Identity by meaning, checked on random configs: however a file is written (key order,
/// block or flow, quoting, spellings of booleans and numbers, comments, anchors), its instance
/// IDs stay the same; and changing one value of one instance changes that instance's ID only.
@Suite struct DigestPropertyTests {
    static let decoder = CheckFileDecoder(environment: [:])

    static func ids(_ text: String) -> [CheckID]? {
        let file = decoder.decode(Array(text.utf8), path: "prop.yaml", checkName: "prop")
        guard file.isValid else {
            Issue.record("generated file did not decode: \(file.errors)\n\(text)")
            return nil
        }
        return file.specs.map(\.id)
    }

    @Test func reformattingNeverChangesAnyID() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SeededGenerator(seed: seed)
            let config = RandomConfig.file(&rng)
            var first = StyledYAMLEmitter(seed: seed &+ 1)
            var second = StyledYAMLEmitter(seed: seed &+ 2)
            let a = first.file(initConfig: config.initConfig, instances: config.instances)
            let b = second.file(initConfig: config.initConfig, instances: config.instances)
            guard let idsA = Self.ids(a), let idsB = Self.ids(b) else { return }
            #expect(idsA.count == config.instances.count)
            #expect(idsA == idsB, "same config, two styles:\n--- A\n\(a)\n--- B\n\(b)")
        }
    }

    @Test func editingOneValueChangesExactlyThatInstance() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SeededGenerator(seed: seed)
            let config = RandomConfig.file(&rng)
            let target = Int.random(in: 0..<config.instances.count, using: &rng)
            var edited = config.instances
            edited[target] = ValueEdit.apply(to: edited[target], &rng)
            var emitter = StyledYAMLEmitter(seed: seed &+ 3)
            var editedEmitter = StyledYAMLEmitter(seed: seed &+ 3)
            let before = emitter.file(initConfig: config.initConfig, instances: config.instances)
            let after = editedEmitter.file(initConfig: config.initConfig, instances: edited)
            guard let idsBefore = Self.ids(before), let idsAfter = Self.ids(after) else { return }
            let changed = zip(idsBefore, idsAfter).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(changed == [target], "edited instance \(target):\n--- before\n\(before)\n--- after\n\(after)")
        }
    }
}

/// One semantic change to one leaf of an instance: a new value, or the same text as another
/// type (`5` becomes `"5"`), or two list items swapped.
enum ValueEdit {
    static func apply(to value: ConfigValue, _ rng: inout SeededGenerator) -> ConfigValue {
        guard case .mapping(var pairs) = value else { return value }
        let index = Int.random(in: 0..<pairs.count, using: &rng)
        pairs[index].value.value = change(pairs[index].value.value, &rng)
        return .mapping(pairs)
    }

    static func change(_ value: ConfigValue, _ rng: inout SeededGenerator) -> ConfigValue {
        switch value {
        case .int(let i): return rng.chance(0.5) ? .int(i + 1) : .string(String(i))
        case .float(let d): return rng.chance(0.5) ? .float(d + 0.5) : .string(String(d))
        case .bool(let b): return rng.chance(0.5) ? .bool(!b) : .string(b ? "true" : "false")
        case .null: return rng.chance(0.5) ? .string("") : .int(0)
        case .string(let s): return .string(s + "x")
        case .sequence(var items):
            if items.count >= 2, items[0] != items[1], rng.chance(0.5) {
                items.swapAt(0, 1)
                return .sequence(items)
            }
            return .sequence(items + [ConfigNode(.string("appended"))])
        case .mapping(var pairs):
            if pairs.isEmpty { return .mapping([ConfigPair(key: ConfigNode(.string("k")), value: ConfigNode(.int(1)))]) }
            let index = Int.random(in: 0..<pairs.count, using: &rng)
            pairs[index].value.value = change(pairs[index].value.value, &rng)
            return .mapping(pairs)
        default:
            return .string("changed")
        }
    }
}
