/// Which inotify watch serves which directory path. The kernel keeps one watch per inode, so
/// `inotify_add_watch` returns the same descriptor for every path that leads to one directory
/// (two `<check>.d` links to one target, or a link and its target): a descriptor maps to all of
/// them, and is removed from the kernel only when the last of them goes. Pure bookkeeping; the
/// caller makes the system calls for the descriptors handed back.
struct WatchTable {
    private var wdByPath: [String: Int32] = [:]
    private var pathsByWD: [Int32: Set<String>] = [:]

    func wd(for path: String) -> Int32? { wdByPath[path] }

    /// Every path an event on `wd` is about, sorted; empty for a watch already dropped.
    func paths(for wd: Int32) -> [String] { pathsByWD[wd]?.sorted() ?? [] }

    /// Paths at or under `root`.
    func paths(under root: String) -> [String] {
        wdByPath.keys.filter { Self.isPath($0, under: root) }.sorted()
    }

    /// Paths one level under `directory`: the subdirectories watched for a root.
    func children(of directory: String) -> [String] {
        wdByPath.keys.filter { $0.hasPrefix(directory + "/") && !$0.dropFirst(directory.count + 1).contains("/") }.sorted()
    }

    /// How many paths are at or under `root`, for status (no sorting: it runs at every wake-up).
    func count(under root: String) -> Int {
        wdByPath.keys.reduce(0) { $0 + (Self.isPath($1, under: root) ? 1 : 0) }
    }

    private static func isPath(_ path: String, under root: String) -> Bool {
        path == root || path.hasPrefix(root + "/")
    }

    /// Records that `path` is served by `wd`. Returns the descriptor the path used before, if it
    /// named another directory then (a swapped or re-pointed link) and nothing else uses it now.
    mutating func insert(_ path: String, wd: Int32) -> Int32? {
        let unused = wdByPath[path] == wd ? nil : remove(path)
        wdByPath[path] = wd
        pathsByWD[wd, default: []].insert(path)
        return unused
    }

    /// Forgets `path`. Returns its descriptor when no other path uses it, for removal.
    mutating func remove(_ path: String) -> Int32? {
        guard let wd = wdByPath.removeValue(forKey: path) else { return nil }
        pathsByWD[wd]?.remove(path)
        guard pathsByWD[wd]?.isEmpty ?? true else { return nil }
        pathsByWD[wd] = nil
        return wd
    }

    /// Forgets a descriptor the kernel dropped (IN_IGNORED). Returns the paths it served.
    mutating func forget(_ wd: Int32) -> [String] {
        let paths = pathsByWD.removeValue(forKey: wd) ?? []
        for path in paths where wdByPath[path] == wd { wdByPath[path] = nil }
        return paths.sorted()
    }

    mutating func removeAll() {
        wdByPath = [:]
        pathsByWD = [:]
    }
}
