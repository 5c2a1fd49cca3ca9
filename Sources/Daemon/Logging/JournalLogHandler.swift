import CSystemd
public import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Native journal entries through libsystemd's `sd_journal_sendv`: the message, its priority,
/// where it was logged, and every metadata key as a `VIGIL_…` field, so
/// `journalctl VIGIL_CHECK_NAME=redis` filters on them (SYSTEMD.md §4).
///
/// Swift cannot call the variadic `sd_journal_send`, so each entry is an array of `FIELD=value`
/// iovecs. Values may hold newlines (a Python traceback is one entry, not one per line);
/// `sd_journal_sendv` frames them. It is thread-safe, and returns 0 without sending when
/// journald's socket is absent, so it cannot tell us there is no journal: `LogFormat.resolved`
/// checks the socket before choosing this handler.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let identifier: String

    /// - Parameters:
    ///   - label: the logger's label (swift-log's).
    ///   - identifier: `SYSLOG_IDENTIFIER`, what `journalctl -t` matches.
    public init(label: String, identifier: String = "vigil") {
        self.label = label
        self.identifier = identifier
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = Self.fields(event: event, handlerMetadata: metadata, identifier: identifier)
        Self.send(fields)
    }

    /// The fields of one entry, in order: what journald gets for `event`.
    static func fields(event: LogEvent, handlerMetadata: Logger.Metadata, identifier: String) -> [(String, String)] {
        var merged = handlerMetadata.merging(event.metadata ?? [:]) { $1 }
        var fields: [(String, String)] = [
            ("MESSAGE", "\(event.message)"),
            ("PRIORITY", "\(JournalField.priority(event.level))"),
            ("SYSLOG_IDENTIFIER", identifier),
        ]
        if let id = merged.removeValue(forKey: MessageIDs.metadataKey) { fields.append(("MESSAGE_ID", id.description)) }
        // sd_journal_sendv does not add these (unlike sd_journal_send's macro): SYSTEMD.md §4.
        fields += [("CODE_FILE", event.file), ("CODE_LINE", "\(event.line)"), ("CODE_FUNC", event.function)]
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append((JournalField.name(forMetadataKey: key), value.description))
        }
        return fields
    }

    /// One `sd_journal_sendv` call: every `NAME=value` packed in one buffer, one iovec each.
    static func send(_ fields: [(String, String)]) {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(fields.count)
        for (name, value) in fields {
            let start = buffer.count
            buffer.append(contentsOf: name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: value.utf8)
            ranges.append(start..<buffer.count)
        }
        buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var vectors = ranges.map { iovec(iov_base: base + $0.lowerBound, iov_len: $0.count) }
            // 0 or -errno; nothing useful to do with an error from inside a log call.
            _ = sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }
}
