public import Runtime

/// Series and service checks as DogStatsD lines, spelled exactly as the official Python
/// client (`datadog` 0.52.1, `datadog/dogstatsd/base.py`) spells them, so a DogStatsD server
/// sees the same bytes whether a check ran under Vigil or reported through that client.
///
/// - Metrics: `<name>:<value>|<type>[|#<tag>,<tag>]`. Vigil forwards flushed series, not raw
///   samples, so the types collapse to two: `count` series (COUNT, MONOTONIC_COUNT) are sent
///   as `c`; `gauge` and `rate` series (GAUGE, RATE, COUNTER, histogram aggregates) as `g`. A
///   `rate` series already holds a per-second value, and a DogStatsD `c` would be divided by
///   the server's flush interval again. No `|@` sample rate, no `|T` timestamp: the server
///   stamps what it receives, as for any client.
/// - Values use Python's `repr(float)` spelling (`2.0`, `1e-05`, `1e+16`); non-finite values
///   are not sent.
/// - Metric tags are normalised as the client does (`normalize_tags`: anything other than a
///   letter, digit, `_`, `-`, `:`, `/` or `.` becomes `_`). A series whose host is not Vigil's
///   default host gets a `host:<host>` tag, which the Agent's DogStatsD reads as the host.
/// - Service checks: `_sc|<name>|<status>[|d:<epoch s>][|h:<host>][|#<tags>][|m:<message>]`,
///   the message last with newlines as `\n` and `m:` as `m\:`; service-check tags are not
///   normalised (the client does not either), except that a line break or `|` in one, which
///   would break the datagram into a malformed line, becomes `_`.
/// - Names are sent as given, as the client sends them.
public enum DogStatsDEncoder {
    /// The line for one series, or nil when its value cannot be sent (NaN, ±inf).
    /// - Parameters:
    ///   - series: a flushed series.
    ///   - defaultHost: Vigil's host name; a series on another host carries a `host:` tag.
    public static func line(_ series: Series, defaultHost: String) -> String? {
        guard series.value.isFinite else { return nil }
        var tags = series.tags
        if series.host != defaultHost { tags.append("host:" + series.host) }
        var line = series.metric + ":" + pythonRepr(series.value) + "|" + metricType(series.type)
        if !tags.isEmpty { line += "|#" + tags.map(normalizeTag).joined(separator: ",") }
        return line
    }

    /// The line for one service check.
    public static func line(_ check: ServiceCheck) -> String {
        var line = "_sc|" + check.name + "|" + String(check.status.rawValue)
        // The client writes `d:` only for a truthy timestamp, in whole seconds.
        let seconds = check.timestamp.isFinite ? Int64(check.timestamp) : 0
        if seconds != 0 { line += "|d:" + String(seconds) }
        if !check.host.isEmpty { line += "|h:" + check.host }
        if !check.tags.isEmpty { line += "|#" + check.tags.map(protocolSafe).joined(separator: ",") }
        let message = escapeMessage(check.message)
        if !message.isEmpty { line += "|m:" + message }
        return line
    }

    /// One run's lines: its series, then its service checks.
    public static func lines(_ output: RunOutput, defaultHost: String) -> [String] {
        output.series.compactMap { line($0, defaultHost: defaultHost) } + output.serviceChecks.map(line)
    }

    /// `g` or `c`: see the type notes above.
    static func metricType(_ type: SeriesType) -> String {
        switch type {
        case .count: return "c"
        case .gauge, .rate: return "g"
        }
    }

    /// `DogStatsd._escape_service_check_message`: newlines become `\n`, `m:` becomes `m\:`.
    static func escapeMessage(_ message: String) -> String {
        message.replacing("\n", with: "\\n").replacing("m:", with: "m\\:")
    }

    /// A service-check tag with what would end its line or field (`\n`, `\r`, `|`) as `_`.
    static func protocolSafe(_ tag: String) -> String {
        guard tag.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "|" }) else { return tag }
        return String(tag.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "|" ? "_" : $0 })
    }

    /// `datadog.util.format.normalize_tags`: `re.sub(r"[^\w\d_\-:/\.]", "_", tag)` with
    /// Unicode `\w` (letters and numerals, per code point).
    static func normalizeTag(_ tag: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in tag.unicodeScalars {
            out.append(isTagScalar(scalar) ? scalar : "_")
        }
        return String(out)
    }

    private static func isTagScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "_", "-", ":", "/", ".": return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            // Python's str.isnumeric also takes a few letters-by-category with numeric values.
            return scalar.properties.numericType != nil
        }
    }
}
