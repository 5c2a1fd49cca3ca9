import Foundation

/// Readers for the /proc files the native checks use. The root is a parameter so tests can
/// point at a fixture tree; production reads the real /proc.
struct ProcFiles: Sendable {
    var root: String = "/proc"

    func text(_ name: String) throws(CheckRunError) -> String {
        guard let data = FileManager.default.contents(atPath: root + "/" + name) else {
            throw CheckRunError("cannot read \(root)/\(name)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `Key:   1234 kB` lines (meminfo) as bytes, or `key 1234` lines (vmstat) as numbers.
    func keyValues(_ name: String, scale: Double = 1) throws(CheckRunError) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in try text(name).split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == ":" })
            guard fields.count >= 2, let number = Double(fields[1]) else { continue }
            let unit = fields.count > 2 && fields[2] == "kB" ? 1024.0 : scale
            values[String(fields[0])] = number * unit
        }
        return values
    }
}
