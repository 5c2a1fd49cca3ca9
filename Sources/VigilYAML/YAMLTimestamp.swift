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

    // Packed into 16 bytes: a timestamp is one case of every ConfigValue, and a wide case
    // would make every node in every tree wider.
    private var year16: Int16
    private var month8: UInt8
    private var day8: UInt8
    private var hour8: UInt8 = 0
    private var minute8: UInt8 = 0
    private var second8: UInt8 = 0
    private var flags: UInt8 = 0  // 1: has a time, 2: has a UTC offset
    private var micro32: UInt32 = 0
    private var offset16: Int16 = 0

    public init(year: Int, month: Int, day: Int, time: Time?) {
        year16 = Int16(year)
        month8 = UInt8(month)
        day8 = UInt8(day)
        self.time = time
    }

    public var year: Int { Int(year16) }
    public var month: Int { Int(month8) }
    public var day: Int { Int(day8) }

    /// nil for a date.
    public var time: Time? {
        get {
            guard flags & 1 != 0 else { return nil }
            return Time(hour: Int(hour8), minute: Int(minute8), second: Int(second8), microsecond: Int(micro32),
                        utcOffsetMinutes: flags & 2 != 0 ? Int(offset16) : nil)
        }
        set {
            guard let newValue else {
                (hour8, minute8, second8, micro32, offset16, flags) = (0, 0, 0, 0, 0, 0)
                return
            }
            hour8 = UInt8(newValue.hour)
            minute8 = UInt8(newValue.minute)
            second8 = UInt8(newValue.second)
            micro32 = UInt32(newValue.microsecond)
            offset16 = Int16(newValue.utcOffsetMinutes ?? 0)
            flags = 1 | (newValue.utcOffsetMinutes != nil ? 2 : 0)
        }
    }

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
