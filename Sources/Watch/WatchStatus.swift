/// What the watcher is doing, for status pages and logs.
public struct WatchStatus: Sendable, Equatable {
    public enum Mode: Sendable, Equatable, CustomStringConvertible {
        case inotify
        /// With why: the configured mode, or inotify's limits.
        case polling(reason: String)
        /// The root does not exist (yet); it is looked for and resynced when it appears.
        case missing

        public var description: String {
            switch self {
            case .inotify: return "inotify"
            case .polling(let reason): return "polling (\(reason))"
            case .missing: return "missing"
            }
        }
    }

    public struct Root: Sendable, Equatable {
        public var path: String
        public var mode: Mode
        /// Directories with an inotify watch: the root and its subdirectories.
        public var watchedDirectories: Int
    }

    public var roots: [Root] = []
    public var eventsRead = 0
    public var overflows = 0
    /// Times the inotify descriptor was rebuilt (after an overflow).
    public var rebuilds = 0
    public var batchesDelivered = 0
    /// Times the watcher thread woke up. Flat while idle: no timer spins.
    public var wakeups = 0
}
