import CYAML

/// Parses one YAML document into a ``ConfigNode`` tree with PyYAML `safe_load` semantics.
///
/// libyaml does the scanning and parsing (the same library PyYAML's `CSafeLoader` uses); Vigil
/// composes the events itself, so that typing, anchors, aliases, merges and tags follow
/// PyYAML's `SafeLoader`, and so that limits are enforced while composing, not after.
/// Where Vigil is stricter than PyYAML it says so: duplicate keys, recursive aliases and the
/// ``YAMLLimits`` are errors.
public enum YAMLParser {
    /// - Parameters:
    ///   - bytes: the file's contents (UTF-8; UTF-16 with a BOM is also accepted, as in PyYAML).
    ///   - limits: size, node and depth bounds.
    /// - Returns: the document's root, or nil for a stream with no document (an empty file or
    ///   only comments).
    /// - Throws: ``YAMLError`` with the line and column of the first problem.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> ConfigNode? {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError(.fileTooLarge, sizeMessage(bytes.count, limit: limits.maxBytes), at: nil)
        }
        let result: Result<ConfigNode?, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) != 0 else {
                return .failure(YAMLError(.syntax, "libyaml could not allocate a parser", at: nil))
            }
            defer { yaml_parser_delete(parser) }
            // libyaml never writes through the input pointer; an empty array may have no base.
            var empty: UInt8 = 0
            let base = buffer.baseAddress ?? withUnsafePointer(to: &empty) { $0 }
            yaml_parser_set_input_string(parser, base, buffer.count)
            var composer = YAMLComposer(limits: limits)
            do throws(YAMLError) {
                try composer.run(parser, source: buffer)
                if let tab = PyYAMLTabRule.firstRefusedTab(in: buffer) {
                    throw YAMLError(.syntax, "found a tab character that cannot start any token (YAML indentation and separation must use spaces)", at: tab)
                }
                return .success(composer.root)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses text; a convenience for tests and small inputs.
    public static func parse(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> ConfigNode? {
        try parse(Array(text.utf8), limits: limits)
    }

    /// "file is 4,194,305 bytes, over the 4 MiB (4,194,304 bytes) limit": exact, so a file just
    /// over the limit does not read as if it were at it.
    public static func sizeMessage(_ size: Int, limit: Int) -> String {
        "file is \(grouped(size)) bytes, over the \(describeSize(limit)) (\(grouped(limit)) bytes) limit"
    }

    private static func grouped(_ number: Int) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    static func describeSize(_ bytes: Int) -> String {
        if bytes >= 1 << 20 {
            let mib = Double(bytes) / Double(1 << 20)
            return mib == mib.rounded() ? "\(Int(mib)) MiB" : "\((mib * 10).rounded() / 10) MiB"
        }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
