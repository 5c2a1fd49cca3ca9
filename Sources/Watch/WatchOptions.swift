/// How a ``DirectoryWatcher`` watches.
public struct WatchOptions: Sendable {
    public enum Mode: Sendable, Equatable {
        /// inotify, falling back to polling per root when the kernel runs out of watches.
        case inotify
        /// Stat the tree on this interval, for file systems where inotify sees nothing (NFS, FUSE).
        case poll(interval: Duration)
    }

    /// Directories to watch (conf.d, checks.d). Each root and each of its subdirectories one
    /// level down (`<check>.d/`, including symlinked ones) is watched.
    public var roots: [String]
    public var mode: Mode = .inotify
    /// A batch is delivered after this much quiet. 0 delivers as soon as the events are read.
    public var debounce: Duration = .milliseconds(100)
    /// ...but no later than this after its first event, so a steady writer cannot starve it.
    public var maxDelay: Duration = .seconds(1)
    /// A full resync on this period as a safety net; nil for none.
    public var resyncInterval: Duration? = .seconds(300)
    /// How often a root that is missing (or polled after running out of inotify watches) is
    /// looked at.
    public var fallbackPollInterval: Duration = .seconds(1)
    /// Which names matter, beyond the built-in rule that hidden names (`.x`, ConfigMap `..data`
    /// and `..<timestamp>`), backups (`x~`) and vim's `4913` probe never do. Called with the
    /// entry name and whether it is a directory. The default takes everything else.
    public var isRelevant: @Sendable (_ name: String, _ isDirectory: Bool) -> Bool = { _, _ in true }
    /// Fault injection for tests: what the kernel cannot be made to do on demand.
    public var faults: WatchFaults?

    public init(roots: [String]) {
        self.roots = roots
    }
}
