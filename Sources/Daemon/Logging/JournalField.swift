public import Logging

/// Journal field names and values: the rules journald enforces, applied before sending.
///
/// journald **drops invalid fields silently** (sd_journal_send(3); `journal_field_valid` in
/// systemd `src/libsystemd/sd-journal/journal-file.c`): a name is 1–64 characters of `A–Z`,
/// `0–9` and `_`, and does not start with `_` (trusted fields, set only by journald) or a digit.
public enum JournalField {
    /// The longest field name journald accepts.
    public static let maximumNameLength = 64

    /// Whether journald accepts `name` as a field name.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maximumNameLength).contains(bytes.count), let first = bytes.first else { return false }
        guard first != UInt8(ascii: "_"), !isDigit(first) else { return false }
        return bytes.allSatisfy { isUpper($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// The field a metadata key is sent as: `VIGIL_` and the key upper-cased, every other
    /// character replaced by `_`, cut to 64 characters (`check_id` → `VIGIL_CHECK_ID`,
    /// `grace-s` → `VIGIL_GRACE_S`). The prefix keeps Vigil's fields apart from systemd's and
    /// makes the name valid whatever the key starts with.
    ///
    /// - Parameter key: a swift-log metadata key.
    public static func name(forMetadataKey key: String) -> String {
        var name = "VIGIL_"
        for scalar in key.unicodeScalars {
            guard name.utf8.count < maximumNameLength else { break }
            if scalar.isASCII, let byte = UInt8(exactly: scalar.value) {
                if isLower(byte) { name.unicodeScalars.append(Unicode.Scalar(byte - 32)) }
                else if isUpper(byte) || isDigit(byte) { name.unicodeScalars.append(scalar) }
                else { name += "_" }
            } else {
                name += "_"
            }
        }
        return name
    }

    /// The syslog priority (0 emerg … 7 debug) for a swift-log level, as `PRIORITY` expects it.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    private static func isUpper(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
    private static func isLower(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
