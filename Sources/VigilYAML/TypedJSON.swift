/// A lossless, typed JSON rendering of a ``ConfigValue``: what Vigil understood, with nothing
/// left to guess.
///
/// - null, booleans, strings and lists are plain JSON; a mapping whose keys are all strings is
///   a JSON object.
/// - An integer is a JSON number with no fraction or exponent, of any length.
/// - A finite float is a JSON number that always has a `.` or an exponent (`15.0`, `1e+300`),
///   so `15` and `15.0` stay apart. Other values are tagged objects with one key starting with
///   `!`: `{"!float": ".inf"}`, `"-.inf"` or `".nan"`; `{"!timestamp": "2001-12-14T21:59:43.100000-05:00"}`;
///   `{"!date": "2002-12-14"}`; `{"!binary": "<base64>"}`; `{"!set": [...]}`;
///   `{"!pairs": [[k, v], ...]}` for `!!omap`/`!!pairs`; and `{"!map": [[k, v], ...]}` for a
///   mapping with a non-string key, or with a single key that itself starts with `!`.
public enum TypedJSON {
    /// - Parameters:
    ///   - sortKeys: order object keys by code point (a canonical form for comparing).
    public static func encode(_ value: ConfigValue, sortKeys: Bool = false) -> String {
        var out = ""
        write(value, sortKeys: sortKeys, into: &out)
        return out
    }

    private static func write(_ value: ConfigValue, sortKeys: Bool, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .bigInt(let b): out += b.description
        case .float(let d):
            if d.isNaN { out += #"{"!float":".nan"}"# }
            else if d.isInfinite { out += d < 0 ? #"{"!float":"-.inf"}"# : #"{"!float":".inf"}"# }
            else { out += d.description }
        case .string(let s): writeString(s, into: &out)
        case .binary(let bytes): out += #"{"!binary":""# + base64(bytes) + #""}"#
        case .timestamp(let t):
            out += t.time == nil ? #"{"!date":""# : #"{"!timestamp":""#
            out += t.isoFormat + #""}"#
        case .sequence(let items):
            writeArray(items, sortKeys: sortKeys, into: &out)
        case .set(let items):
            out += #"{"!set":"#
            writeArray(items, sortKeys: sortKeys, into: &out)
            out += "}"
        case .pairs(let pairs):
            out += #"{"!pairs":"#
            writePairList(pairs, sortKeys: sortKeys, into: &out)
            out += "}"
        case .mapping(let pairs):
            let keys = pairs.compactMap { $0.key.value.stringValue }
            let needsTag = keys.count != pairs.count || (keys.count == 1 && keys[0].hasPrefix("!"))
            if needsTag {
                out += #"{"!map":"#
                writePairList(pairs, sortKeys: sortKeys, into: &out)
                out += "}"
                return
            }
            let ordered = sortKeys ? pairs.sorted { codePointsLess($0.key.value.stringValue!, $1.key.value.stringValue!) } : pairs
            out += "{"
            for (index, pair) in ordered.enumerated() {
                if index > 0 { out += "," }
                writeString(pair.key.value.stringValue!, into: &out)
                out += ":"
                write(pair.value.value, sortKeys: sortKeys, into: &out)
            }
            out += "}"
        }
    }

    private static func writeArray(_ items: [ConfigNode], sortKeys: Bool, into out: inout String) {
        out += "["
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            write(item.value, sortKeys: sortKeys, into: &out)
        }
        out += "]"
    }

    private static func writePairList(_ pairs: [ConfigPair], sortKeys: Bool, into out: inout String) {
        out += "["
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += "," }
            out += "["
            write(pair.key.value, sortKeys: sortKeys, into: &out)
            out += ","
            write(pair.value.value, sortKeys: sortKeys, into: &out)
            out += "]"
        }
        out += "]"
    }

    static func codePointsLess(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        // Most strings need no escaping at all: append them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let b0 = chunk[chunk.startIndex]
            let b1 = chunk.count > 1 ? chunk[chunk.startIndex + 1] : 0
            let b2 = chunk.count > 2 ? chunk[chunk.startIndex + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(chunk.count > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(chunk.count > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
