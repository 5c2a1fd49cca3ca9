extension StatusDocument {
    /// `/status`'s `dogstatsd` block (`null` when forwarding is off).
    static func dogStatsD(_ forwarder: DogStatsDForwarder) -> JSONValue {
        let counters = forwarder.counters
        return .object([
            "target": .string(forwarder.target.description),
            "address": .optional(forwarder.address),
            "max_payload": .int(forwarder.batcher.maxPayload),
            "datagrams_sent": .int(counters.datagramsSent),
            "lines_sent": .int(counters.linesSent),
            "bytes_sent": .int(counters.bytesSent),
            "send_errors": .int(counters.sendErrors),
            "oversize_lines": .int(counters.oversizeLines),
            "resolutions": .int(counters.resolutions),
            "resolve_errors": .int(counters.resolveErrors),
            "last_error": .optional(forwarder.lastError),
        ])
    }
}
