#if canImport(Glibc)
import Glibc
#endif

/// One inotify event as read from the descriptor.
struct InotifyEvent: Equatable {
    var wd: Int32
    var mask: UInt32
    var cookie: UInt32
    /// The entry's name within the watched directory; empty for events about the directory itself.
    var name: String

    func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }

    var isOverflow: Bool { has(IN_Q_OVERFLOW) }
    var isDirectory: Bool { has(IN_ISDIR) }

    /// Splits a read buffer into events. The C struct has a flexible `name` member that Swift
    /// does not import, so the 16-byte header is loaded unaligned and the NUL-padded name read
    /// after it; the next event starts at `16 + len` (inotify(7)).
    static func parse(_ buffer: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= buffer.count {
            let raw = buffer.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
            let nameStart = offset + header
            let nameEnd = min(nameStart + Int(raw.len), buffer.count)
            var name = ""
            if raw.len > 0 {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[nameStart..<nameEnd])
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<length]), as: UTF8.self)
            }
            events.append(InotifyEvent(wd: raw.wd, mask: raw.mask, cookie: raw.cookie, name: name))
            offset = nameStart + Int(raw.len)
        }
        return events
    }
}
