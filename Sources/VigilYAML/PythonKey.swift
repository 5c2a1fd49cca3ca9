import Foundation

/// A mapping key as Python compares dict keys, for duplicate detection: `1`, `1.0` and `true`
/// are one key; strings compare by code point (`é` precomposed and decomposed are two keys,
/// though Swift's `==` would call them equal); aware timestamps compare by instant.
/// Hashable, so duplicate checks stay linear however many keys a mapping has.
enum PythonKey: Hashable {
    case null
    /// Every number with an integral value, in decimal: ints, bools, floats like `2.0`.
    case integer(String)
    /// A float with a fraction (NaN never gets here: no two NaN keys are equal in Python).
    case float(UInt64)
    case string([UInt8])
    case bytes([UInt8])
    case date(Int, Int, Int)
    case naive(Int, Int, Int, Int, Int, Int, Int)
    /// Seconds and microseconds since the epoch.
    case aware(Int64, Int)

    /// nil for keys that are never equal to another (NaN) or cannot be keys (collections).
    init?(_ value: ConfigValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .integer(b ? "1" : "0")
        case .int(let i): self = .integer(String(i))
        case .bigInt(let b): self = .integer(b.description)
        case .float(let d):
            if d.isNaN { return nil }
            if d.isFinite, d == d.rounded() {
                self = .integer(abs(d) < 9.2e18 ? String(Int64(d)) : String(format: "%.0f", d))
            } else {
                self = .float(d.bitPattern)
            }
        case .string(let s): self = .string(Array(s.utf8))
        case .binary(let bytes): self = .bytes(bytes)
        case .timestamp(let t):
            guard let time = t.time else {
                self = .date(t.year, t.month, t.day)
                return
            }
            if let offset = time.utcOffsetMinutes {
                let days = Self.daysFromCivil(t.year, t.month, t.day)
                let seconds = days * 86_400 + Int64(time.hour * 3600 + time.minute * 60 + time.second) - Int64(offset * 60)
                self = .aware(seconds, time.microsecond)
            } else {
                self = .naive(t.year, t.month, t.day, time.hour, time.minute, time.second, time.microsecond)
            }
        case .sequence, .mapping, .set, .pairs:
            return nil
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
