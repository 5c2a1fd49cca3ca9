import Testing
@testable import Watch

#if canImport(Glibc)
import Glibc
#endif

/// The flexible-array layout of `struct inotify_event`, parsed from a hand-built buffer.
@Suite struct InotifyEventTests {
    static func record(wd: Int32, mask: Int32, cookie: UInt32, name: String, padTo: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: wd) { bytes += $0 }
        withUnsafeBytes(of: UInt32(mask)) { bytes += $0 }
        withUnsafeBytes(of: cookie) { bytes += $0 }
        withUnsafeBytes(of: UInt32(padTo)) { bytes += $0 }
        var nameBytes = Array(name.utf8)
        nameBytes += Array(repeating: 0, count: padTo - nameBytes.count)
        return bytes + nameBytes
    }

    @Test func parsesConsecutiveEventsWithPaddedNames() {
        let buffer = Self.record(wd: 1, mask: IN_MOVED_FROM, cookie: 7, name: "..data_tmp", padTo: 16)
            + Self.record(wd: 1, mask: IN_MOVED_TO, cookie: 7, name: "..data", padTo: 16)
            + Self.record(wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: "", padTo: 0)
        let events = buffer.withUnsafeBytes { InotifyEvent.parse($0) }
        #expect(events.map(\.name) == ["..data_tmp", "..data", ""])
        #expect(events[0].cookie == events[1].cookie)
        #expect(events[1].has(IN_MOVED_TO))
        #expect(events[2].isOverflow)
    }
}
