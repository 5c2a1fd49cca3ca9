public import VigilYAML
#if canImport(Glibc)
import Glibc
#endif

/// The byte encoding of a ``ConfigValue``'s meaning that instance digests hash.
///
/// Two values encode identically exactly when a check would see the same data: comments,
/// whitespace, key order, quoting and block/flow style, anchors versus repeated content, and
/// source positions never reach it; every type, value and list order does. Version 1:
///
/// | value | bytes |
/// |---|---|
/// | null | `00` |
/// | false / true | `01` / `02` |
/// | integer (any size) | `03`, decimal ASCII with `-` if negative, `00` |
/// | float | `04`, IEEE-754 bits big-endian; every NaN as `7ff8000000000000`, -0.0 as 0.0 |
/// | string | `05`, UTF-8 length as u32 big-endian, UTF-8 bytes |
/// | binary | `06`, length u32, bytes |
/// | timestamp | `07`, length u32, Python `isoformat()` text |
/// | list | `08`, count u32, each item |
/// | mapping | `09`, count u32, each key then value, ordered by the key's encoding (bytewise) |
/// | set | `0a`, count u32, each item, ordered by encoding |
/// | ordered pairs | `0b`, count u32, each key then value in document order |
public enum CanonicalEncoding {
    public static func encode(_ value: ConfigValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        append(value, to: &out)
        return out
    }

    public static func append(_ value: ConfigValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(0x00)
        case .bool(let b): out.append(b ? 0x02 : 0x01)
        case .int(let i):
            out.append(0x03)
            appendDecimal(i, to: &out)
            out.append(0x00)
        case .bigInt(let b):
            out.append(0x03)
            out.append(contentsOf: b.description.utf8)
            out.append(0x00)
        case .float(let d):
            out.append(0x04)
            let bits: UInt64 = d.isNaN ? 0x7FF8_0000_0000_0000 : (d == 0 ? 0 : d.bitPattern)
            appendU64(bits, to: &out)
        case .string(let s):
            out.append(0x05)
            appendBytes(s.utf8, to: &out)
        case .binary(let bytes):
            out.append(0x06)
            appendBytes(bytes, to: &out)
        case .timestamp(let t):
            out.append(0x07)
            appendBytes(t.isoFormat.utf8, to: &out)
        case .sequence(let items):
            out.append(0x08)
            appendU32(items.count, to: &out)
            for item in items { append(item.value, to: &out) }
        case .mapping(let pairs):
            out.append(0x09)
            appendU32(pairs.count, to: &out)
            appendSortedPairs(pairs, to: &out)
        case .set(let items):
            out.append(0x0A)
            appendU32(items.count, to: &out)
            for encoded in items.map({ encode($0.value) }).sorted(by: bytewiseLess) { out.append(contentsOf: encoded) }
        case .pairs(let pairs):
            out.append(0x0B)
            appendU32(pairs.count, to: &out)
            for pair in pairs {
                append(pair.key.value, to: &out)
                append(pair.value.value, to: &out)
            }
        }
    }

    /// Mapping entries ordered by the encoding of their keys. When every key is a string, that
    /// order is (UTF-8 length, UTF-8 bytes), which is computed without encoding the keys first.
    private static func appendSortedPairs(_ pairs: [ConfigPair], to out: inout [UInt8]) {
        if pairs.allSatisfy({ $0.key.value.stringValue != nil }) {
            let sorted = pairs.sorted { lhs, rhs in
                lengthThenBytesLess(lhs.key.value.stringValue!, rhs.key.value.stringValue!)
            }
            for pair in sorted {
                append(pair.key.value, to: &out)
                append(pair.value.value, to: &out)
            }
            return
        }
        let keyed = pairs.map { (key: encode($0.key.value), value: $0.value.value) }
        for entry in keyed.sorted(by: { bytewiseLess($0.key, $1.key) }) {
            out.append(contentsOf: entry.key)
            append(entry.value, to: &out)
        }
    }

    private static func bytewiseLess(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    /// (UTF-8 length, UTF-8 bytes) order, with memcmp on native strings' contiguous storage.
    static func lengthThenBytesLess(_ a: String, _ b: String) -> Bool {
        let (countA, countB) = (a.utf8.count, b.utf8.count)
        if countA != countB { return countA < countB }
        if countA == 0 { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb in memcmp(pa.baseAddress!, pb.baseAddress!, countA) }
        }
        if let result = compared ?? nil { return result < 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    private static func appendBytes(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        appendU32(bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    private static func appendU32(_ value: Int, to out: inout [UInt8]) {
        let v = UInt32(truncatingIfNeeded: value)
        out.append(UInt8(truncatingIfNeeded: v >> 24))
        out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v))
    }

    private static func appendU64(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
