#if canImport(Glibc)
import Glibc
#endif

/// A stat of every visible entry of a root and its subdirectories: the polling fallback
/// compares two of them. stat follows symlinks, so a ConfigMap `..data` swap changes the
/// inode behind every visible name and is seen as a change of each.
struct TreeSnapshot: Equatable {
    struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var changed: Int64
        var isDirectory: Bool
    }

    var entries: [String: Stamp] = [:]

    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                     modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                     changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec),
                     isDirectory: info.st_mode & S_IFMT == S_IFDIR)
    }

    /// Snapshots `root` and its visible subdirectories, one level deep.
    static func take(root: String, isRelevant: (String, Bool) -> Bool) -> TreeSnapshot {
        var snapshot = TreeSnapshot()
        for name in DirectoryListing.visibleNames(root) {
            let path = root + "/" + name
            guard let entry = stamp(path), isRelevant(name, entry.isDirectory) else { continue }
            snapshot.entries[path] = entry
            guard entry.isDirectory else { continue }
            for child in DirectoryListing.visibleNames(path) {
                let childPath = path + "/" + child
                if let childStamp = stamp(childPath), isRelevant(child, childStamp.isDirectory) {
                    snapshot.entries[childPath] = childStamp
                }
            }
        }
        return snapshot
    }

    /// Paths added, removed or changed between two snapshots. A directory counts as changed
    /// only when it is another directory (a new inode, as after a ConfigMap swap); its mtime
    /// moves with every entry, and the entries are compared one by one already.
    func changes(since old: TreeSnapshot) -> Set<String> {
        var changed = Set<String>()
        for (path, stamp) in entries {
            guard let before = old.entries[path] else {
                changed.insert(path)
                continue
            }
            let same = stamp.isDirectory && before.isDirectory
                ? (stamp.device, stamp.inode) == (before.device, before.inode)
                : stamp == before
            if !same { changed.insert(path) }
        }
        for path in old.entries.keys where entries[path] == nil { changed.insert(path) }
        return changed
    }
}

/// Directory listings with the watcher's built-in rule applied.
enum DirectoryListing {
    /// Names no config reader ever looks at: hidden (`.swp`, ConfigMap `..data`, `..<ts>`),
    /// editor backups (`x~`) and vim's `4913` write probe.
    static func isHidden(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name == "4913"
    }

    static func visibleNames(_ directory: String) -> [String] {
        visibleNames(directory) { _ in true }
    }

    /// The visible names that are symbolic links, from the entries' `d_type` (an `lstat` only
    /// where the file system does not fill it in).
    static func visibleSymlinkNames(_ directory: String) -> [String] {
        visibleNames(directory) { type in type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) }
            .filter { isSymlink(directory + "/" + $0) }
    }

    private static func visibleNames(_ directory: String, where keep: (UInt8) -> Bool) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            guard keep(entry.pointee.d_type) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if !isHidden(name) { names.append(name) }
        }
        return names.sorted()
    }

    /// The path with every symlink resolved (realpath(3)); nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether `path` itself (not what it leads to) is a symbolic link.
    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}
