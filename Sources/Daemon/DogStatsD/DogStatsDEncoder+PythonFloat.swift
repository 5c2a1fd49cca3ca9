extension DogStatsDEncoder {
    /// A finite double as Python's `repr(float)` writes it: the shortest digits that round-trip
    /// (Swift's `description` finds the same digits), laid out in fixed notation when the
    /// decimal exponent is in -4..<16, else as `<d>[.<ddd>]e±XX` (CPython `float_repr_style`
    /// "short", `Python/pystrtod.c`). Integral values keep a `.0`.
    static func pythonRepr(_ value: Double) -> String {
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (digits, point) = shortestDigits(abs(value))
        let sign = value < 0 ? "-" : ""
        let count = digits.count
        // `point`: the value is 0.<digits> × 10^point.
        if point > -4, point <= 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= count { return sign + digits + String(repeating: "0", count: point - count) + ".0" }
            let split = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let exponent = point - 1
        let magnitude = String(abs(exponent))
        let mantissa = count > 1 ? String(digits.prefix(1)) + "." + digits.dropFirst() : digits
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// The significant digits (no leading or trailing zeros) and decimal point position of a
    /// positive finite double, read from Swift's shortest round-trip `description`.
    private static func shortestDigits(_ value: Double) -> (digits: String, point: Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let integerPart = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var digits = Substring(mantissa.filter { $0 != "." })
        var point = integerPart.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            point -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), point)
    }
}
