import Foundation
import VigilConfig
import VigilYAML

#if canImport(Glibc)
import Glibc
#endif

/// `disk`: per mounted file system, system.disk.total/used/free in kB (the unit the Datadog
/// disk check keeps "for legacy reasons"), system.disk.in_use (fraction) and .utilized
/// (percent), and system.fs.inodes.*, tagged `device:` and `device_name:`. Partitions are
/// filtered like the disk check: `file_system_include/exclude` (case-insensitive),
/// `device_include/exclude`, `mount_point_include/exclude` (regexes matched at the start),
/// the default exclusions (iso9660, tracefs, binfmt_misc), mounts without a device unless
/// `all_partitions`, and file systems of total size 0 or at most `min_disk_size` MiB.
final class DiskCheck: Check {
    struct Filters: Sendable {
        var fileSystemInclude: NSRegularExpression?
        var fileSystemExclude: NSRegularExpression?
        var deviceInclude: NSRegularExpression?
        var deviceExclude: NSRegularExpression?
        var mountPointInclude: NSRegularExpression?
        var mountPointExclude: NSRegularExpression?
        var allPartitions = false
        var minDiskBytes = 0.0
        var useMount = false
    }

    struct Mount { var device: String; var mountPoint: String; var fileSystem: String }

    let filters: Filters
    let mountsFile: String

    init(filters: Filters, mountsFile: String = "/proc/self/mounts") {
        self.filters = filters
        self.mountsFile = mountsFile
    }

    static func make(_ spec: CheckSpec) throws(LoadError) -> DiskCheck {
        let instance = spec.instance
        func patterns(_ key: String, extra: [String] = [], caseInsensitive: Bool = false) throws(LoadError) -> NSRegularExpression? {
            var list: [String] = []
            switch instance[key]?.value {
            case .string(let one)?: list = [one]
            case .sequence(let items)?: list = items.compactMap { $0.value.stringValue }
            default: break
            }
            list += extra.filter { !list.contains($0) }
            list = list.filter { !$0.isEmpty }
            guard !list.isEmpty else { return nil }
            do {
                return try NSRegularExpression(pattern: list.joined(separator: "|"), options: caseInsensitive ? [.caseInsensitive] : [])
            } catch {
                throw .failed("\(key): not a valid regular expression: \(list.joined(separator: "|"))")
            }
        }
        var filters = Filters()
        filters.fileSystemInclude = try patterns("file_system_include", caseInsensitive: true)
        filters.fileSystemExclude = try patterns("file_system_exclude", extra: ["iso9660$", "tracefs$"], caseInsensitive: true)
        filters.deviceInclude = try patterns("device_include")
        filters.deviceExclude = try patterns("device_exclude")
        filters.mountPointInclude = try patterns("mount_point_include")
        filters.mountPointExclude = try patterns("mount_point_exclude", extra: ["(/host)?/proc/sys/fs/binfmt_misc$"])
        filters.allPartitions = instance["all_partitions"]?.value == .bool(true)
        filters.useMount = instance["use_mount"]?.value == .bool(true)
        filters.minDiskBytes = (instance["min_disk_size"]?.value.numberValue ?? 0) * 1_048_576
        return DiskCheck(filters: filters)
    }

    func run(_ sender: Sender) throws {
        guard let data = FileManager.default.contents(atPath: mountsFile) else { throw CheckRunError("cannot read \(mountsFile)") }
        var reported = 0
        for mount in Self.parseMounts(String(decoding: data, as: UTF8.self)) where !excluded(mount) {
            var stats = statvfs()
            guard statvfs(mount.mountPoint, &stats) == 0 else { continue }
            let fragment = Double(stats.f_frsize)
            let total = Double(stats.f_blocks) * fragment
            let free = Double(stats.f_bavail) * fragment
            let used = (Double(stats.f_blocks) - Double(stats.f_bfree)) * fragment
            guard total > filters.minDiskBytes, total > 0 else { continue }
            let device = filters.useMount ? mount.mountPoint : mount.device
            let tags = ["device:\(device)", "device_name:\((mount.device as NSString).lastPathComponent)"]
            // psutil's percent: used ÷ (used + available), rounded to one decimal.
            let percent = used + free > 0 ? ((used / (used + free)) * 1000).rounded() / 10 : 0
            sender.gauge("system.disk.total", total / 1024, tags: tags)
            sender.gauge("system.disk.used", used / 1024, tags: tags)
            sender.gauge("system.disk.free", free / 1024, tags: tags)
            sender.gauge("system.disk.utilized", percent, tags: tags)
            sender.gauge("system.disk.in_use", percent / 100, tags: tags)
            if stats.f_files > 0 {
                let inodes = Double(stats.f_files), freeInodes = Double(stats.f_ffree)
                sender.gauge("system.fs.inodes.total", inodes, tags: tags)
                sender.gauge("system.fs.inodes.free", freeInodes, tags: tags)
                sender.gauge("system.fs.inodes.used", inodes - freeInodes, tags: tags)
                sender.gauge("system.fs.inodes.utilized", (inodes - freeInodes) / inodes * 100, tags: tags)
                sender.gauge("system.fs.inodes.in_use", (inodes - freeInodes) / inodes, tags: tags)
            }
            reported += 1
        }
        if reported == 0 { sender.warning("no file system matched the include/exclude filters") }
    }

    /// /proc/self/mounts lines, with the octal escapes (`\040` for a space) decoded.
    static func parseMounts(_ text: String) -> [Mount] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { return nil }
            return Mount(device: unescape(fields[0]), mountPoint: unescape(fields[1]), fileSystem: String(fields[2]))
        }
    }

    private static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3, let code = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(code)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func excluded(_ mount: Mount) -> Bool {
        let device: String? = mount.device.isEmpty || mount.device == "none" ? nil : mount.device
        if device == nil, !filters.allPartitions { return true }
        func matches(_ regex: NSRegularExpression?, _ text: String) -> Bool {
            guard let regex else { return false }
            return regex.firstMatch(in: text, options: [.anchored], range: NSRange(text.startIndex..., in: text)) != nil
        }
        if matches(filters.fileSystemExclude, mount.fileSystem) { return true }
        if let device, matches(filters.deviceExclude, device) { return true }
        if matches(filters.mountPointExclude, mount.mountPoint) { return true }
        if filters.fileSystemInclude != nil, !matches(filters.fileSystemInclude, mount.fileSystem) { return true }
        if let device, filters.deviceInclude != nil, !matches(filters.deviceInclude, device) { return true }
        if filters.mountPointInclude != nil, !matches(filters.mountPointInclude, mount.mountPoint) { return true }
        return false
    }
}

