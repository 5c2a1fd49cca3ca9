/// What the watcher delivers: either the paths that were touched, or "re-read everything".
///
/// A path is a file or directory inside a root, as `root + "/" + name` (or one level deeper, in
/// a watched subdirectory). A directory path means "everything at or under it": a `<check>.d`
/// that appeared, vanished or was moved. Batches merge while nobody is reading them, so a slow
/// consumer gets one larger batch, never a lost path.
public enum WatchBatch: Sendable, Equatable, CustomStringConvertible {
    case changed(Set<String>)
    /// Events may have been missed (queue overflow), a root came or went, the periodic safety
    /// net fired, or someone asked (SIGHUP). Reasons are human-readable.
    case resync(reasons: [String])

    /// The union of two batches: paths add up; a resync absorbs everything.
    public func merged(with other: WatchBatch) -> WatchBatch {
        switch (self, other) {
        case let (.changed(a), .changed(b)): return .changed(a.union(b))
        case let (.resync(a), .resync(b)): return .resync(reasons: a + b.filter { !a.contains($0) })
        case (.resync, .changed): return self
        case (.changed, .resync): return other
        }
    }

    public var description: String {
        switch self {
        case .changed(let paths): return "changed(\(paths.sorted().joined(separator: ", ")))"
        case .resync(let reasons): return "resync(\(reasons.joined(separator: "; ")))"
        }
    }
}
