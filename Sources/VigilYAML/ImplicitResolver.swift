// Implicit typing of plain scalars, exactly as PyYAML's `Resolver` (YAML 1.1) does it.
//
// PyYAML picks candidate regexps by the scalar's first character, in the order they were
// registered (bool, float, int, merge, null, timestamp, value), and the first full match wins.
// The regexps are matched here by hand, byte by byte: Swift's Regex would cost more than the
// whole libyaml parse. Quirks kept on purpose, because `safe_load` has them:
//   - a float needs a dot: `1e3` and `1.0e3` are strings, `1.0e+3` is a float;
//   - `-.5` is a string (the dot-first form takes no sign), `.5` is a float;
//   - octal is `0[0-7_]+` (YAML 1.1): `017` is 15, `0o17` is a string;
//   - `1:30` is 90 (base 60), `yes`/`no`/`on`/`off` are booleans, `=` has no constructor.

enum ImplicitResolver {
    static func resolve(_ s: UnsafeBufferPointer<UInt8>) -> ScalarTag {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .str
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            return isBool(s) ? .bool : .str
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if isBool(s) { return .bool }
            return isAny(s, "null", "Null", "NULL") ? .null : .str
        case UInt8(ascii: "<"):
            return isAny(s, "<<") ? .merge : .str
        case UInt8(ascii: "="):
            return s.count == 1 ? .value : .str
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isFloat(s) { return .float }
            if isInt(s) { return .int }
            if isDigit(first), YAMLTimestamp.matchesImplicit(s) { return .timestamp }
            return .str
        default:
            return .str
        }
    }

    static func isBool(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        isAny(s, "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
              "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF")
    }

    /// `[-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ |
    /// [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
    static func isInt(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = s.count
        if i < n, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        guard i < n else { return false }
        if s[i] == UInt8(ascii: "0") {
            if i + 1 == n { return true }
            let next = s[i + 1]
            if next == UInt8(ascii: "b") { return allOf(s, from: i + 2, nonEmpty: true) { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F } }
            if next == UInt8(ascii: "x") { return allOf(s, from: i + 2, nonEmpty: true) { isHex($0) || $0 == 0x5F } }
            return allOf(s, from: i + 1, nonEmpty: true) { ($0 >= 0x30 && $0 <= 0x37) || $0 == 0x5F }
        }
        guard isDigit(s[i]) else { return false }
        var j = i + 1
        while j < n, isDigit(s[j]) || s[j] == 0x5F { j += 1 }
        if j == n { return true }
        guard let end = sexagesimalGroups(s, from: j), end == n else { return false }
        return true
    }

    /// `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)? | \.[0-9][0-9_]*([eE][-+][0-9]+)? |
    /// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    static func isFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = s.count
        let signed = n > 0 && (s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+"))
        if signed { i = 1 }
        guard i < n else { return false }
        if s[i] == UInt8(ascii: ".") {
            let rest = UnsafeBufferPointer(rebasing: s[(i + 1)...])
            if isAny(rest, "inf", "Inf", "INF") { return true }
            if signed { return false }
            if isAny(rest, "nan", "NaN", "NAN") { return true }
            guard let first = rest.first, isDigit(first) else { return false }
            var j = i + 2
            while j < n, isDigit(s[j]) || s[j] == 0x5F { j += 1 }
            return j == n || exponentEnds(s, at: j)
        }
        guard isDigit(s[i]) else { return false }
        var j = i + 1
        while j < n, isDigit(s[j]) || s[j] == 0x5F { j += 1 }
        guard j < n else { return false }
        if s[j] == UInt8(ascii: ":") {
            guard let end = sexagesimalGroups(s, from: j), end < n, s[end] == UInt8(ascii: ".") else { return false }
            return allOf(s, from: end + 1, nonEmpty: false) { isDigit($0) || $0 == 0x5F }
        }
        guard s[j] == UInt8(ascii: ".") else { return false }
        var k = j + 1
        while k < n, isDigit(s[k]) || s[k] == 0x5F { k += 1 }
        return k == n || exponentEnds(s, at: k)
    }

    /// `[eE][-+][0-9]+` running exactly to the end.
    private static func exponentEnds(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let n = s.count
        guard i + 2 < n, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E"),
              s[i + 1] == UInt8(ascii: "-") || s[i + 1] == UInt8(ascii: "+") else { return false }
        return allOf(s, from: i + 2, nonEmpty: true, isDigit)
    }

    /// Consumes `(:[0-5]?[0-9])+` starting at a `:`; returns the index after the last group.
    static func sexagesimalGroups(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = s.count
        var groups = 0
        while i < n, s[i] == UInt8(ascii: ":") {
            var j = i + 1
            while j < n, isDigit(s[j]) { j += 1 }
            switch j - (i + 1) {
            case 1: break
            case 2 where s[i + 1] <= UInt8(ascii: "5"): break
            default: return nil
            }
            groups += 1
            i = j
        }
        return groups > 0 ? i : nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func isHex(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    private static func allOf(
        _ s: UnsafeBufferPointer<UInt8>, from start: Int, nonEmpty: Bool, _ predicate: (UInt8) -> Bool
    ) -> Bool {
        if start >= s.count { return !nonEmpty }
        for index in start..<s.count where !predicate(s[index]) { return false }
        return true
    }

    static func isAny(_ s: UnsafeBufferPointer<UInt8>, _ candidates: StaticString...) -> Bool {
        for candidate in candidates where candidate.utf8CodeUnitCount == s.count {
            if memcmp(candidate.utf8Start, s.baseAddress!, s.count) == 0 { return true }
        }
        return false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
