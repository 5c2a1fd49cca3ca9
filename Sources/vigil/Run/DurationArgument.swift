/// Durations on the command line and in `VIGIL_*` variables: `250ms`, `10s`, `5m`, `1h`, or a
/// bare number of seconds. `0` is zero.
enum DurationArgument {
    struct Invalid: Error, CustomStringConvertible {
        var text: String
        var description: String { "'\(text)' is not a duration (use e.g. 100ms, 10s, 5m, 1h)" }
    }

    static func parse(_ text: String) throws(Invalid) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number >= 0, number.isFinite else { throw Invalid(text: text) }
            return .nanoseconds(Int64((number * scale * 1e9).rounded()))
        }
        guard let seconds = Double(text), seconds >= 0, seconds.isFinite else { throw Invalid(text: text) }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
