import CYAML

/// Builds the node tree from libyaml's events: one open frame per list or mapping being read,
/// anchors with their expanded node counts, and PyYAML's rules for keys and merges.
struct YAMLComposer {
    private let limits: YAMLLimits
    private(set) var root: ConfigNode?
    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var openAnchors: Set<String> = []
    private var documents = 0
    private var firstDocumentMark = Mark.start
    /// Nodes reached through aliases: the count the node cap bounds (literal nodes are bounded
    /// by the file size already).
    private var aliasNodes = 0

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    private struct Anchored {
        var node: ConfigNode
        var nodeCount: Int
        var mark: Mark
    }

    /// A list or mapping whose end event has not arrived yet.
    private struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var tag: String?
        var anchor: String?
        var mark: Mark
        var nodeCount = 1
        var items: [ConfigNode] = []
        var pairs: [ConfigPair] = []
        var merged: [ConfigPair] = []
        var pendingKey: ConfigNode?
        var pendingKeyIsMerge = false
        /// Built once a mapping outgrows a linear scan: every key as Python compares it.
        var keyIndex: [PythonKey: Mark] = [:]
    }

    // MARK: - Event loop

    mutating func run(_ parser: UnsafeMutablePointer<yaml_parser_t>, source: UnsafeBufferPointer<UInt8>) throws(YAMLError) {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) != 0 else {
                throw LibYAMLDiagnostics.error(from: parser.pointee, source: source)
            }
            defer { yaml_event_delete(&event) }
            let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents == 1 {
                    firstDocumentMark = mark
                } else {
                    throw YAMLError(.multipleDocuments,
                                    "expected a single document in the stream, but found another document (the first starts at line \(firstDocumentMark.line))",
                                    at: mark)
                }
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                try alias(name, at: mark)
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let bytes = UnsafeBufferPointer(start: scalar.value, count: scalar.length)
                try self.scalar(bytes, tag: Self.string(scalar.tag), anchor: Self.string(scalar.anchor),
                                plainImplicit: scalar.plain_implicit != 0, at: mark)
            case YAML_SEQUENCE_START_EVENT:
                let start = event.data.sequence_start
                try open(.sequence, tag: Self.string(start.tag), anchor: Self.string(start.anchor), at: mark)
            case YAML_MAPPING_START_EVENT:
                let start = event.data.mapping_start
                try open(.mapping, tag: Self.string(start.tag), anchor: Self.string(start.anchor), at: mark)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                try close()
            default:
                continue  // stream start, document end, no-op
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    // MARK: - Nodes

    private mutating func scalar(_ bytes: UnsafeBufferPointer<UInt8>, tag: String?, anchor: String?,
                                 plainImplicit: Bool, at mark: Mark) throws(YAMLError) {
        let scalarTag: ScalarTag
        if let tag, tag != "!" {
            guard let known = ScalarTag(uri: tag) else {
                throw YAMLError(.unknownTag, TagNames.unknown(tag, kind: "a scalar"), at: mark)
            }
            scalarTag = known
        } else if plainImplicit {
            scalarTag = ImplicitResolver.resolve(bytes)
        } else {
            scalarTag = .str
        }

        // `<<` and `=` only mean something as mapping keys (PyYAML's flatten_mapping).
        if isAwaitingKey, scalarTag == .merge || scalarTag == .value {
            let text = ConfigNode(.string(String(decoding: bytes, as: UTF8.self)), at: mark)
            if scalarTag == .merge { stack[stack.count - 1].pendingKeyIsMerge = true }
            try complete(text, nodeCount: 1, anchor: anchor)
            return
        }
        switch ScalarConstructor.construct(scalarTag, bytes) {
        case .success(let value):
            try complete(ConfigNode(value, at: mark), nodeCount: 1, anchor: anchor)
        case .failure(let failure):
            let code: YAMLError.Code = (scalarTag == .merge || scalarTag == .value) ? .unknownTag : .invalidValue
            throw YAMLError(code, failure.message, at: mark)
        }
    }

    private mutating func open(_ kind: Frame.Kind, tag: String?, anchor: String?, at mark: Mark) throws(YAMLError) {
        let tag = tag == "!" ? nil : tag
        if let tag {
            let allowed = kind == .sequence ? TagNames.sequenceTags : TagNames.mappingTags
            guard allowed.contains(tag) else {
                throw YAMLError(.unknownTag, TagNames.unknown(tag, kind: kind == .sequence ? "a list" : "a mapping"), at: mark)
            }
        }
        guard stack.count < limits.maxDepth else {
            throw YAMLError(.tooDeep, "lists and mappings nest deeper than \(limits.maxDepth) levels", at: mark)
        }
        if let anchor { openAnchors.insert(anchor) }
        stack.append(Frame(kind: kind, tag: tag, anchor: anchor, mark: mark))
    }

    private mutating func close() throws(YAMLError) {
        let frame = stack.removeLast()
        if let anchor = frame.anchor { openAnchors.remove(anchor) }
        let value: ConfigValue
        switch frame.kind {
        case .sequence:
            value = try sequenceValue(frame)
        case .mapping:
            if frame.pendingKey != nil {
                // libyaml always pairs keys with values; keep the invariant visible.
                preconditionFailure("mapping ended with a key and no value")
            }
            let pairs = frame.merged.isEmpty ? frame.pairs : Self.overlay(frame.pairs, on: frame.merged)
            if frame.tag == TagNames.set {
                value = .set(pairs.map(\.key))
            } else {
                value = .mapping(pairs)
            }
        }
        try complete(ConfigNode(value, at: frame.mark), nodeCount: frame.nodeCount, anchor: frame.anchor)
    }

    private func sequenceValue(_ frame: Frame) throws(YAMLError) -> ConfigValue {
        guard frame.tag == TagNames.omap || frame.tag == TagNames.pairs else { return .sequence(frame.items) }
        var pairs: [ConfigPair] = []
        pairs.reserveCapacity(frame.items.count)
        for item in frame.items {
            guard case .mapping(let entry) = item.value, entry.count == 1 else {
                throw YAMLError(.invalidValue,
                                "an ordered map (\(TagNames.short(frame.tag!))) must be a list of one-entry mappings, found \(item.value.describedType)",
                                at: item.mark)
            }
            pairs.append(entry[0])
        }
        return .pairs(pairs)
    }

    private mutating func alias(_ name: String, at mark: Mark) throws(YAMLError) {
        guard let anchored = anchors[name] else {
            if openAnchors.contains(name) {
                throw YAMLError(.recursiveAlias, "alias '*\(name)' refers to the node that contains it; recursive structures are not supported", at: mark)
            }
            throw YAMLError(.undefinedAlias, "found undefined alias '*\(name)'", at: mark)
        }
        try countAlias(anchored.nodeCount, at: mark)
        try complete(anchored.node, nodeCount: anchored.nodeCount, anchor: nil)
    }

    /// Counts the nodes aliases stand for, failing as soon as the limit is crossed: a "billion
    /// laughs" file stops here after a few lines, not after filling memory.
    private mutating func countAlias(_ added: Int, at mark: Mark) throws(YAMLError) {
        aliasNodes += added
        if aliasNodes > limits.maxNodes {
            throw YAMLError(.tooManyNodes,
                            "aliases expand to more than \(limits.maxNodes) nodes; refusing the document",
                            at: mark)
        }
    }

    private var isAwaitingKey: Bool {
        // Index in place: `stack.last` would copy the whole frame, arrays and all.
        guard !stack.isEmpty else { return false }
        let top = stack.count - 1
        return stack[top].kind == .mapping && stack[top].pendingKey == nil
    }

    /// Hands a finished node to its parent (or makes it the root) and records its anchor.
    private mutating func complete(_ node: ConfigNode, nodeCount: Int, anchor: String?) throws(YAMLError) {
        if let anchor {
            if let first = anchors[anchor] {
                throw YAMLError(.duplicateAnchor,
                                "found duplicate anchor '&\(anchor)' (first occurrence at line \(first.mark.line), column \(first.mark.column))",
                                at: node.mark)
            }
            anchors[anchor] = Anchored(node: node, nodeCount: nodeCount, mark: node.mark)
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].nodeCount += nodeCount
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
        case .mapping:
            guard let key = stack[top].pendingKey else {
                try checkHashable(node)
                stack[top].pendingKey = node
                return
            }
            let isMerge = stack[top].pendingKeyIsMerge
            stack[top].pendingKey = nil
            stack[top].pendingKeyIsMerge = false
            if isMerge {
                try merge(node, at: key.mark, into: top)
            } else {
                try addPair(ConfigPair(key: key, value: node), to: top)
            }
        }
    }

    private func checkHashable(_ key: ConfigNode) throws(YAMLError) {
        switch key.value {
        case .sequence, .mapping, .set, .pairs:
            throw YAMLError(.unhashableKey, "found unhashable key: \(key.value.describedType) cannot be a mapping key", at: key.mark)
        default:
            return
        }
    }

    private mutating func addPair(_ pair: ConfigPair, to top: Int) throws(YAMLError) {
        // Most mappings have a few string keys: comparing their bytes beats hashing. Python
        // compares strings by code point, so bytes, not Swift's canonical equivalence.
        if case .string(let key) = pair.key.value, stack[top].pairs.count < 16, stack[top].keyIndex.isEmpty {
            for existing in stack[top].pairs {
                if case .string(let other) = existing.key.value, other.utf8.elementsEqual(key.utf8) {
                    throw Self.duplicate(describe(pair.key.value), first: existing.key.mark, at: pair.key.mark)
                }
            }
            if stack[top].pairs.allSatisfy({ $0.key.value.stringValue != nil }) {
                stack[top].pairs.append(pair)
                return
            }
        }
        if stack[top].keyIndex.isEmpty {
            for existing in stack[top].pairs {
                if let key = PythonKey(existing.key.value) { stack[top].keyIndex[key] = existing.key.mark }
            }
        }
        if let key = PythonKey(pair.key.value) {
            if let first = stack[top].keyIndex.updateValue(pair.key.mark, forKey: key) {
                throw Self.duplicate(describe(pair.key.value), first: first, at: pair.key.mark)
            }
        }
        stack[top].pairs.append(pair)
    }

    private static func duplicate(_ key: String, first: Mark, at mark: Mark) -> YAMLError {
        YAMLError(.duplicateKey, "duplicate key \(key) (first defined at line \(first.line), column \(first.column))", at: mark)
    }

    private func describe(_ key: ConfigValue) -> String {
        if case .string(let s) = key { return "'\(s)'" }
        return "\(TypedJSON.encode(key)) (\(key.typeName))"
    }

    /// `<<: mapping` or `<<: [mapping, ...]`. PyYAML puts merged entries before the mapping's
    /// own, with earlier mappings in a list taking precedence over later ones, and the
    /// mapping's own keys overriding all of them.
    private mutating func merge(_ value: ConfigNode, at mark: Mark, into top: Int) throws(YAMLError) {
        switch value.value {
        case .mapping(let pairs):
            stack[top].merged = Self.overlay(pairs, on: stack[top].merged)
        case .set(let keys):
            // A !!set is a mapping node whose values are null; PyYAML merges it as one.
            let pairs = keys.map { ConfigPair(key: $0, value: ConfigNode(.null, at: $0.mark)) }
            stack[top].merged = Self.overlay(pairs, on: stack[top].merged)
        case .sequence(let items):
            var combined: [ConfigPair] = []
            for item in items.reversed() {
                guard case .mapping(let pairs) = item.value else {
                    throw YAMLError(.invalidMerge, "expected a mapping for merging, but found \(item.value.describedType)", at: item.mark)
                }
                combined = Self.overlay(pairs, on: combined)
            }
            stack[top].merged = Self.overlay(combined, on: stack[top].merged)
        default:
            throw YAMLError(.invalidMerge, "expected a mapping or list of mappings for merging, but found \(value.value.describedType)", at: value.mark)
        }
    }

    /// Python's `dict` filled with `base` then `top`: a key keeps its first position and takes
    /// its last value. Keys are matched as Python matches them.
    private static func overlay(_ top: [ConfigPair], on base: [ConfigPair]) -> [ConfigPair] {
        var result = base
        var index: [PythonKey: Int] = [:]
        for (position, pair) in result.enumerated() {
            if let key = PythonKey(pair.key.value) { index[key] = position }
        }
        for pair in top {
            if let key = PythonKey(pair.key.value), let position = index[key] {
                result[position].value = pair.value
            } else {
                if let key = PythonKey(pair.key.value) { index[key] = result.count }
                result.append(pair)
            }
        }
        return result
    }
}
