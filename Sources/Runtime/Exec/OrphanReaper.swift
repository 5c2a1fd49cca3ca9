import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// When Vigil is PID 1 (a container's entrypoint), every orphaned process in the container
/// becomes its child — a plugin's background grandchild, a Python check's leftover helper —
/// and stays a zombie unless Vigil waits for it. This reaps the children Vigil did not start
/// itself; the ones it did (ChildRegistry) are left to the runs waiting for them.
public enum OrphanReaper {
    private static let reaped = Atomic<Int>(0)
    private static let started = Atomic<Bool>(false)
    private static let wake = DispatchSemaphore(value: 0)

    /// Orphans reaped since start.
    public static var reapedCount: Int { reaped.load(ordering: .relaxed) }

    /// Starts the reaper thread if this process is PID 1; returns whether it did. It sweeps
    /// shortly after each plugin run ends (when the plugin's leftovers have just been killed)
    /// and every `interval` seconds otherwise.
    @discardableResult
    public static func startIfInit(interval: Double = 5) -> Bool {
        guard getpid() == 1, !started.exchange(true, ordering: .relaxed) else { return false }
        ChildRegistry.activate()
        let thread = Thread {
            while true {
                if wake.wait(timeout: .now() + interval) == .success {
                    usleep(20_000)  // let the killed group's members die first
                    while wake.wait(timeout: .now()) == .success {}  // one sweep for a burst of runs
                }
                reapOnce()
            }
        }
        thread.name = "vigil-reaper"
        thread.start()
        return true
    }

    /// A plugin run ended: its process group was killed, and its members may now be orphans.
    static func runEnded() {
        if started.load(ordering: .relaxed) { wake.signal() }
    }

    /// Reaps every exited child Vigil did not spawn itself; returns how many.
    @discardableResult
    static func reapOnce() -> Int {
        let children = currentChildren()
        guard !children.isEmpty else { return 0 }
        let ownGroup = getpgrp()
        let count = ChildRegistry.withOwned { owned -> Int in
            var count = 0
            // Children in Vigil's own process group are not orphans: they were started in this
            // process by something that waits for them (a Python check's subprocess.run);
            // plugins and their leftovers run in process groups of their own.
            for pid in children where !owned.contains(pid) && processGroup(of: pid) != ownGroup {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { count += 1 }
            }
            return count
        }
        if count > 0 { reaped.add(count, ordering: .relaxed) }
        return count
    }

    /// Field 5 of /proc/PID/stat (readable for a zombie too); nil if it is gone.
    static func processGroup(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 ? pid_t(fields[2]) : nil
    }

    /// Every child of every thread of this process (`/proc/self/task/*/children`).
    static func currentChildren() -> [pid_t] {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return [] }
        var pids: [pid_t] = []
        for task in tasks {
            guard let text = try? String(contentsOfFile: "/proc/self/task/\(task)/children", encoding: .utf8) else { continue }
            pids += text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return pids
    }
}
