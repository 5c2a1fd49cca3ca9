/// Packs lines into datagrams the way the official client's buffer does
/// (`DogStatsd._send_to_buffer`/`_should_flush` in `datadog/dogstatsd/base.py`): lines joined
/// by `\n` with none after the last (`"\n".join(buffer)`), each line counted with its `\n`,
/// and a datagram closed before the line that would take it past `maxPayload` bytes. A line that alone is longer goes out alone, as the client sends it
/// (the server may still take it; if the network refuses it, that send counts as an error).
/// Sizes are UTF-8 bytes; the client counts characters, which overshoots with non-ASCII text.
public struct DogStatsDBatcher: Sendable {
    /// The official client's default for UDP: `UDP_OPTIMAL_PAYLOAD_LENGTH = 1432` (an
    /// Ethernet MTU of 1500 minus IP and UDP headers, with room for options).
    public static let defaultMaxPayload = 1432

    public let maxPayload: Int

    public init(maxPayload: Int = Self.defaultMaxPayload) {
        self.maxPayload = maxPayload
    }

    /// The datagrams, in line order, and how many lines were too long to share one.
    public func datagrams(_ lines: [String]) -> (datagrams: [[UInt8]], oversize: Int) {
        var datagrams: [[UInt8]] = []
        var current: [UInt8] = []
        var oversize = 0
        current.reserveCapacity(maxPayload)
        for line in lines {
            let size = line.utf8.count + 1
            if !current.isEmpty, current.count + size > maxPayload {
                datagrams.append(Array(current.dropLast()))
                current.removeAll(keepingCapacity: true)
            }
            if size > maxPayload { oversize += 1 }
            current.append(contentsOf: line.utf8)
            current.append(UInt8(ascii: "\n"))
            if current.count >= maxPayload {
                datagrams.append(Array(current.dropLast()))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { datagrams.append(Array(current.dropLast())) }
        return (datagrams, oversize)
    }
}
