import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The child processes Vigil spawned and will wait for itself (exec plugins, Python checks'
/// subprocesses). The orphan reaper must never reap one of these: its exit status belongs to
/// the run that started it. Spawning happens under the same lock the reaper takes, so a child
/// that exits at once is registered before the reaper can see it.
///
/// Only while the reaper runs (Vigil is PID 1): otherwise nothing reaps behind a run's back,
/// and spawns on different workers need not take one lock.
enum ChildRegistry {
    private static let owned = Mutex<Set<pid_t>>([])
    private static let active = Atomic<Bool>(false)

    /// From now on spawns are registered; called before the reaper starts.
    static func activate() {
        active.store(true, ordering: .relaxed)
    }

    /// Runs `spawn` (which returns the new pid, or nil on failure) and registers its child.
    static func spawning(_ spawn: () -> pid_t?) {
        guard active.load(ordering: .relaxed) else {
            _ = spawn()
            return
        }
        owned.withLock { owned in
            if let pid = spawn() { owned.insert(pid) }
        }
    }

    /// The child has been waited for.
    static func release(_ pid: pid_t) {
        guard active.load(ordering: .relaxed) else { return }
        _ = owned.withLock { $0.remove(pid) }
    }

    /// Calls `body` with the registered pids, holding the lock (no spawn happens meanwhile).
    static func withOwned<T>(_ body: (Set<pid_t>) -> T) -> T {
        owned.withLock { body($0) }
    }
}
