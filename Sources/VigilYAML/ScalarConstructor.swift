// Turning a scalar's text into a typed value, as PyYAML's `SafeConstructor` does for each tag
// (`construct_yaml_int`, `construct_yaml_float`, `construct_yaml_bool`, ... in constructor.py).
// Used both for implicitly resolved plain scalars and for explicit `!!tag`s, which may carry
// text the implicit resolver would never have typed (`!!int "0o17"`, `!!float "1e3"`).

enum ScalarConstructor {
    static func construct(_ tag: ScalarTag, _ s: UnsafeBufferPointer<UInt8>) -> Result<ConfigValue, ConstructionFailure> {
        switch tag {
        case .str: return .success(.string(String(decoding: s, as: UTF8.self)))
        case .null: return .success(.null)
        case .bool: return bool(s)
        case .int: return int(s)
        case .float: return float(s)
        case .timestamp: return YAMLTimestamp.construct(s).map { .timestamp($0) }
        case .binary: return binary(s)
        case .merge, .value:
            return .failure(ConstructionFailure("could not determine a constructor for the tag '\(tag.uri)'"))
        }
    }

    private static func text(_ s: UnsafeBufferPointer<UInt8>) -> String { String(decoding: s, as: UTF8.self) }

    /// `bool_values[value.lower()]`.
    private static func bool(_ s: UnsafeBufferPointer<UInt8>) -> Result<ConfigValue, ConstructionFailure> {
        switch text(s).lowercased() {
        case "yes", "true", "on": return .success(.bool(true))
        case "no", "false", "off": return .success(.bool(false))
        default: return .failure(ConstructionFailure("'\(text(s))' is not a boolean"))
        }
    }

    /// Underscores dropped, an optional sign, then `0`, `0b…`, `0x…`, `0…` (octal), base-60
    /// groups, or decimal; unbounded like Python's `int`.
    static func int(_ s: UnsafeBufferPointer<UInt8>) -> Result<ConfigValue, ConstructionFailure> {
        // Python's int() ignores surrounding whitespace (reachable through `!!int " 12 "`).
        var bytes = s.filter { $0 != UInt8(ascii: "_") }
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0A { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x09 || first == 0x0A { bytes.removeFirst() }
        let invalid = ConstructionFailure("'\(text(s))' is not an integer")
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        guard !bytes.isEmpty else { return .failure(invalid) }
        if bytes == [UInt8(ascii: "0")] { return .success(.int(0)) }

        var accumulator = IntegerAccumulator()
        if bytes.starts(with: "0b".utf8) {
            guard accumulator.append(digits: bytes.dropFirst(2), radix: 2) else { return .failure(invalid) }
        } else if bytes.starts(with: "0x".utf8) {
            guard accumulator.append(digits: bytes.dropFirst(2), radix: 16) else { return .failure(invalid) }
        } else if bytes.starts(with: "0o".utf8) {
            // Only reachable through an explicit !!int; Python's int(text, 8) accepts the prefix.
            guard accumulator.append(digits: bytes.dropFirst(2), radix: 8) else { return .failure(invalid) }
        } else if bytes[0] == UInt8(ascii: "0") {
            guard accumulator.append(digits: bytes[...], radix: 8) else { return .failure(invalid) }
        } else if bytes.contains(UInt8(ascii: ":")) {
            // Base 60: every group is a decimal number, the last one the units.
            for (index, group) in bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).enumerated() {
                var part = IntegerAccumulator()
                guard part.append(digits: group, radix: 10) else { return .failure(invalid) }
                if index == 0 {
                    accumulator = part
                } else {
                    // Implicit groups are 0...59; an explicit !!int with a group past 32 bits
                    // is refused rather than carried through big-number addition.
                    guard let small = part.smallValue else { return .failure(invalid) }
                    accumulator.multiply(by: 60, adding: small)
                }
            }
        } else {
            guard accumulator.append(digits: bytes[...], radix: 10) else { return .failure(invalid) }
        }
        return .success(accumulator.value(negative: negative))
    }

    /// Underscores dropped, lowercased, `.inf`/`.nan`, base-60 groups, or Python's `float()`.
    static func float(_ s: UnsafeBufferPointer<UInt8>) -> Result<ConfigValue, ConstructionFailure> {
        // Fast path, the common case: digits, sign, dot and exponent only. Swift's Double parser
        // rounds correctly, as Python's float() does.
        if s.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
           s.contains(where: { $0 >= 0x30 && $0 <= 0x39 }),
           let value = Double(String(decoding: s, as: UTF8.self)) {
            return .success(.float(value))
        }
        var value = text(s).replacingOccurrences(of: "_", with: "").lowercased()
        let invalid = ConstructionFailure("'\(text(s))' is not a float")
        var sign = 1.0
        if let first = value.first, first == "-" || first == "+" {
            if first == "-" { sign = -1.0 }
            value.removeFirst()
        }
        if value == ".inf" { return .success(.float(sign * .infinity)) }
        if value == ".nan" { return .success(.float(.nan)) }
        if value.contains(":") {
            var total = 0.0
            var base = 1.0
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                guard let digit = pythonFloat(part) else { return .failure(invalid) }
                total += digit * base
                base *= 60
            }
            return .success(.float(sign * total))
        }
        guard let parsed = pythonFloat(Substring(value)) else { return .failure(invalid) }
        return .success(.float(sign * parsed))
    }

    /// Python's `float(str)` on the forms YAML can hand it: digits with an optional dot and
    /// exponent, `inf`, `infinity`, `nan`. Surrounding whitespace is allowed, as in Python.
    private static func pythonFloat(_ text: Substring) -> Double? {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        let body = String(trimmed)
        guard let last = body.last, !body.isEmpty else { return nil }
        // Swift accepts hex floats ("0x1p3") that Python's float() rejects.
        if body.lowercased().contains("x") { return nil }
        if last == "." || last.isNumber || body.lowercased().hasSuffix("inf")
            || body.lowercased().hasSuffix("infinity") || body.lowercased().hasSuffix("nan") {
            return Double(body)
        }
        return nil
    }

    /// `base64.decodebytes`: characters outside the alphabet are skipped, padding is checked.
    private static func binary(_ s: UnsafeBufferPointer<UInt8>) -> Result<ConfigValue, ConstructionFailure> {
        var bits: UInt32 = 0
        var bitCount = 0
        var symbols = 0
        var padding = 0
        var output: [UInt8] = []
        output.reserveCapacity(s.count * 3 / 4)
        for byte in s {
            guard byte < 0x80 else { return .failure(ConstructionFailure("failed to convert base64 data: non-ASCII character")) }
            let sextet: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): sextet = 62
            case UInt8(ascii: "/"): sextet = 63
            case UInt8(ascii: "="): padding += 1; continue
            default: continue
            }
            symbols += 1
            bits = bits << 6 | UInt32(sextet)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: bits >> UInt32(bitCount)))
            }
        }
        if symbols % 4 == 1 || (symbols % 4 != 0 && (symbols + padding) % 4 != 0) {
            return .failure(ConstructionFailure("failed to convert base64 data: incorrect padding"))
        }
        return .success(.binary(output))
    }
}

/// Digits accumulated into an Int64-sized magnitude, switching to ``BigInteger`` on overflow.
struct IntegerAccumulator {
    private var small: UInt64 = 0
    private var big: BigInteger?

    /// Appends digits of the radix; false if one is not a digit of it or there are none.
    mutating func append(digits: some Collection<UInt8>, radix: UInt32) -> Bool {
        guard !digits.isEmpty else { return false }
        for byte in digits {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return false
            }
            guard digit < radix else { return false }
            multiply(by: radix, addingDigit: digit)
        }
        return true
    }

    /// `value * factor + addend`, used for base-60 groups.
    mutating func multiply(by factor: UInt32, adding addend: UInt32) {
        multiply(by: factor, addingDigit: addend)
    }

    /// The magnitude when it fits 32 bits (a base-60 group).
    var smallValue: UInt32? { big == nil ? UInt32(exactly: small) : nil }

    private mutating func multiply(by factor: UInt32, addingDigit digit: UInt32) {
        if big == nil {
            let (product, overflow1) = small.multipliedReportingOverflow(by: UInt64(factor))
            let (sum, overflow2) = product.addingReportingOverflow(UInt64(digit))
            if !overflow1 && !overflow2 {
                small = sum
                return
            }
            big = BigInteger(small)
        }
        big!.multiplyAdd(factor, digit)
    }

    func value(negative: Bool) -> ConfigValue {
        if var big {
            big.negate(negative)
            if let fitting = big.int64Value { return .int(fitting) }
            return .bigInt(big)
        }
        if negative {
            if small <= UInt64(Int64.max) + 1 { return .int(Int64(truncatingIfNeeded: 0 &- small)) }
        } else if small <= UInt64(Int64.max) {
            return .int(Int64(small))
        }
        var promoted = BigInteger(small)
        promoted.negate(negative)
        return .bigInt(promoted)
    }
}

