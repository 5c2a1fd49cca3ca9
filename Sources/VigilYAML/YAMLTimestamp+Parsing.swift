// Recognising and constructing timestamps exactly as PyYAML's resolver and
// `SafeConstructor.construct_yaml_timestamp` do (PyYAML 6, `resolver.py` and `constructor.py`).

extension YAMLTimestamp {
    /// Whether a plain scalar resolves implicitly to a timestamp (PyYAML's implicit regexp):
    /// `YYYY-MM-DD` with exactly two-digit month and day, or a date with one- or two-digit
    /// month and day followed by a time.
    static func matchesImplicit(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let fields = scan(s) else { return false }
        return fields.hasTime || (fields.monthDigits == 2 && fields.dayDigits == 2)
    }

    /// Builds the value, checking ranges as Python's `datetime` does.
    /// - Returns: the timestamp, or a message when the text is not one (or names no real date).
    static func construct(_ s: UnsafeBufferPointer<UInt8>) -> Result<YAMLTimestamp, ConstructionFailure> {
        guard let f = scan(s) else {
            return .failure(ConstructionFailure("'\(String(decoding: s, as: UTF8.self))' is not a timestamp"))
        }
        guard (1...9999).contains(f.year) else { return .failure(ConstructionFailure("year \(f.year) is out of range")) }
        guard (1...12).contains(f.month) else { return .failure(ConstructionFailure("month must be in 1..12, not \(f.month)")) }
        let days = daysIn(month: f.month, year: f.year)
        guard (1...days).contains(f.day) else {
            return .failure(ConstructionFailure("day is out of range for month (\(f.year)-\(f.month) has \(days) days)"))
        }
        var value = YAMLTimestamp(year: f.year, month: f.month, day: f.day, time: nil)
        guard f.hasTime else { return .success(value) }
        guard f.hour < 24 else { return .failure(ConstructionFailure("hour must be in 0..23, not \(f.hour)")) }
        guard f.minute < 60 else { return .failure(ConstructionFailure("minute must be in 0..59, not \(f.minute)")) }
        guard f.second < 60 else { return .failure(ConstructionFailure("second must be in 0..59, not \(f.second)")) }
        guard abs(f.offsetMinutes ?? 0) < 24 * 60 else {
            return .failure(ConstructionFailure("UTC offset must be strictly between -24 and 24 hours"))
        }
        value.time = Time(hour: f.hour, minute: f.minute, second: f.second,
                          microsecond: f.microsecond, utcOffsetMinutes: f.offsetMinutes)
        return .success(value)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private struct Fields {
        var year = 0, month = 0, day = 0, monthDigits = 0, dayDigits = 0
        var hasTime = false
        var hour = 0, minute = 0, second = 0, microsecond = 0
        var offsetMinutes: Int?
    }

    /// PyYAML's `timestamp_regexp`:
    /// `YYYY-M?M-D?D` then optionally (`T`|`t`|blanks) `h?h:mm:ss` (`.` digits*)?
    /// (blanks* (`Z` | [+-] `h?h` (`:mm`)?))?
    private static func scan(_ s: UnsafeBufferPointer<UInt8>) -> Fields? {
        var i = 0
        let n = s.count
        func digits(min: Int, max: Int) -> (value: Int, count: Int)? {
            var value = 0, count = 0
            while i < n, count < max, s[i] >= 0x30, s[i] <= 0x39 {
                value = value * 10 + Int(s[i] - 0x30)
                i += 1
                count += 1
            }
            return count >= min ? (value, count) : nil
        }
        func take(_ byte: UInt8) -> Bool {
            if i < n, s[i] == byte { i += 1; return true }
            return false
        }
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

        var f = Fields()
        guard let year = digits(min: 4, max: 4), take(0x2D),
              let month = digits(min: 1, max: 2), take(0x2D),
              let day = digits(min: 1, max: 2) else { return nil }
        (f.year, f.month, f.monthDigits, f.day, f.dayDigits) = (year.value, month.value, month.count, day.value, day.count)
        if i == n { return f }

        // Separator: T, t, or one or more blanks.
        if s[i] == 0x54 || s[i] == 0x74 {
            i += 1
        } else if isBlank(s[i]) {
            while i < n, isBlank(s[i]) { i += 1 }
        } else {
            return nil
        }
        guard let hour = digits(min: 1, max: 2), take(0x3A),
              let minute = digits(min: 2, max: 2), take(0x3A),
              let second = digits(min: 2, max: 2) else { return nil }
        f.hasTime = true
        (f.hour, f.minute, f.second) = (hour.value, minute.value, second.value)
        if take(0x2E) {
            // Any number of digits; the first six are microseconds, padded with zeros.
            var micro = 0, count = 0
            while i < n, s[i] >= 0x30, s[i] <= 0x39 {
                if count < 6 { micro = micro * 10 + Int(s[i] - 0x30) }
                count += 1
                i += 1
            }
            for _ in min(count, 6)..<6 { micro *= 10 }
            f.microsecond = micro
        }
        if i == n { return f }
        while i < n, isBlank(s[i]) { i += 1 }
        guard i < n else { return nil }  // trailing blanks alone do not match
        if take(0x5A) {
            f.offsetMinutes = 0
        } else if s[i] == 0x2B || s[i] == 0x2D {
            let negative = s[i] == 0x2D
            i += 1
            guard let h = digits(min: 1, max: 2) else { return nil }
            var minutes = h.value * 60
            if take(0x3A) {
                guard let m = digits(min: 2, max: 2) else { return nil }
                minutes += m.value
            }
            f.offsetMinutes = negative ? -minutes : minutes
        } else {
            return nil
        }
        return i == n ? f : nil
    }
}

/// Why a scalar's text cannot become the value its tag asks for.
struct ConstructionFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
