#if canImport(Glibc)
import Glibc
#endif

/// Readers for the /proc files the native checks use, parsing bytes directly: these run
/// thousands of times a minute, and character-by-character String work was most of their cost.
/// The root is a parameter so tests can point at a fixture tree; production reads /proc.
struct ProcFiles: Sendable {
    var root: String = "/proc"

    func bytes(_ name: String) throws(CheckRunError) -> [UInt8] {
        let path = root + "/" + name
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CheckRunError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var data = [UInt8](repeating: 0, count: 16 * 1024)
        var filled = 0
        while true {
            if filled == data.count { data.append(contentsOf: repeatElement(0, count: data.count)) }
            let count = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        data.removeSubrange(filled...)
        return data
    }

    func text(_ name: String) throws(CheckRunError) -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// `Key:   1234 kB` lines (meminfo: values in bytes) or `key 1234` lines (vmstat). Only
    /// the keys asked for are converted, when `keys` is given.
    func keyValues(_ name: String, keys: Set<String>? = nil) throws(CheckRunError) -> [String: Double] {
        let data = try bytes(name)
        var values: [String: Double] = [:]
        var index = 0
        while index < data.count {
            // Key: up to ':' or ' '.
            let keyStart = index
            while index < data.count, data[index] != 0x3A, data[index] != 0x20, data[index] != 0x0A { index += 1 }
            let keyEnd = index
            while index < data.count, data[index] == 0x3A || data[index] == 0x20 { index += 1 }
            var number = 0.0, digits = 0
            while index < data.count, data[index] >= 0x30, data[index] <= 0x39 {
                number = number * 10 + Double(data[index] - 0x30)
                digits += 1
                index += 1
            }
            while index < data.count, data[index] == 0x20 { index += 1 }
            let kilobytes = index + 1 < data.count && data[index] == 0x6B && data[index + 1] == 0x42  // "kB"
            while index < data.count, data[index] != 0x0A { index += 1 }
            index += 1
            guard digits > 0, keyEnd > keyStart else { continue }
            let key = String(decoding: data[keyStart..<keyEnd], as: UTF8.self)
            if let keys, !keys.contains(key) { continue }
            values[key] = kilobytes ? number * 1024 : number
        }
        return values
    }
}
