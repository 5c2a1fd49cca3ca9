/// A YAML 1.1 timestamp as PyYAML constructs it: a `datetime.date` when there is no time part,
/// else a `datetime.datetime`, naive or with a fixed UTC offset. Fractions keep 6 digits
/// (microseconds), truncated, as PyYAML does.
public struct YAMLTimestamp: Sendable, Hashable, CustomStringConvertible {
    public struct Time: Sendable, Hashable {
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var microsecond: Int
        /// Offset from UTC in minutes; nil for a naive time. `Z` is 0.
        public var utcOffsetMinutes: Int?
    }

    public var year: Int
    public var month: Int
    public var day: Int
    /// nil for a date.
    public var time: Time?

    /// The text Python's `isoformat()` gives: `2001-12-14`, `2001-12-14T21:59:43.100000-05:00`.
    public var isoFormat: String {
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        guard let time else { return text }
        text += "T" + pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
        if time.microsecond != 0 { text += "." + pad(time.microsecond, 6) }
        if let offset = time.utcOffsetMinutes {
            text += (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
        }
        return text
    }

    public var description: String { isoFormat }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
