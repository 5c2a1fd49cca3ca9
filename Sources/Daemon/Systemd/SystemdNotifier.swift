import CSystemd
public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Vigil's side of the sd_notify protocol (SYSTEMD.md §2), through libsystemd's `sd_notify`.
/// Without `NOTIFY_SOCKET` (a container, a terminal) every call does nothing.
///
/// `WATCHDOG=1` is only sent from `heartbeat()`, which the reconcile loop calls from inside
/// itself: a stuck loop stops the pings and systemd restarts the daemon.
public final class SystemdNotifier: Sendable {
    /// How often the loop must prove it is alive to the watchdog: half of `WATCHDOG_USEC`,
    /// when `sd_watchdog_enabled` says the watchdog is ours; nil otherwise.
    public let watchdogInterval: Duration?
    private let enabled: Bool
    private let state = Mutex(State())
    /// A test-only fault: when set, `heartbeat()` blocks, freezing the loop that calls it.
    private let frozen = Atomic<Bool>(false)

    private struct State {
        var lastPing: ContinuousClock.Instant?
        var lastStatus: String?
        var ready = false
        /// When the pending reload was asked for: only a full pass that started after it
        /// answers it with READY=1.
        var reloadRequestedAt: ContinuousClock.Instant?
    }

    private let createdAt = ContinuousClock.now
    /// How long start-up may be extended past TimeoutStartSec= in all: a first pass that
    /// hangs must still end in a start timeout, not "activating" forever.
    static let startupBudget: Duration = .seconds(600)

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        enabled = environment["NOTIFY_SOCKET"].map { !$0.isEmpty } ?? false
        var usec: UInt64 = 0
        if sd_watchdog_enabled(0, &usec) > 0, usec > 0 {
            watchdogInterval = .microseconds(Int64(usec / 2))
        } else {
            watchdogInterval = nil
        }
    }

    /// Sends one datagram of `KEY=value` lines; returns whether it was sent.
    @discardableResult
    func send(_ assignments: [String]) -> Bool {
        guard enabled, !assignments.isEmpty else { return false }
        return sd_notify(0, assignments.joined(separator: "\n")) > 0
    }

    /// After a full reconcile: `READY=1` the first time and after each reload, always with
    /// the current status line. Returns whether this pass made Vigil ready (again).
    /// Datagrams go out under the lock, in the order of the state changes they report.
    @discardableResult
    public func passCompleted(full: Bool, status: String, startedAt: ContinuousClock.Instant) -> Bool {
        state.withLock { state in
            var lines: [String] = []
            let answersReload = state.reloadRequestedAt.map { startedAt >= $0 } ?? false
            if full, !state.ready || answersReload {
                lines.append("READY=1")
                state.ready = true
                state.reloadRequestedAt = nil
            }
            if status != state.lastStatus || !lines.isEmpty {
                lines.append("STATUS=\(Self.oneLine(status))")
                state.lastStatus = status
            }
            send(lines)
            return lines.first == "READY=1"
        }
    }

    /// The status line alone, when it changed.
    public func status(_ status: String) {
        let changed = state.withLock { state in
            guard status != state.lastStatus else { return false }
            state.lastStatus = status
            return true
        }
        if changed { send(["STATUS=\(Self.oneLine(status))"]) }
    }

    /// SIGHUP: `RELOADING=1` with the monotonic time; `READY=1` follows the full pass.
    public func reloading() {
        state.withLock { state in
            state.reloadRequestedAt = .now
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let usec = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
            send(["RELOADING=1", "MONOTONIC_USEC=\(usec)", "STATUS=reloading: re-reading every config file"])
        }
    }

    /// While the first reconcile is still running: more time before systemd gives up.
    public func extendStartup(by duration: Duration) {
        let ready = state.withLock { $0.ready }
        guard !ready, ContinuousClock.now - createdAt < Self.startupBudget else { return }
        let usec = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        send(["EXTEND_TIMEOUT_USEC=\(usec)", "STATUS=starting: reading config files and loading checks"])
    }

    public func stopping() {
        send(["STOPPING=1", "STATUS=stopping: letting running checks finish"])
    }

    /// A fatal exit: the error number and what went wrong.
    public func fatal(errno number: Int32, message: String) {
        send(["ERRNO=\(number)", "STATUS=failed: \(Self.oneLine(message))"])
    }

    /// Called by the reconcile loop on every tick and after every pass: `WATCHDOG=1`, at most
    /// about four times per watchdog period.
    public func heartbeat() {
        while frozen.load(ordering: .relaxed) { usleep(100_000) }
        guard let interval = watchdogInterval else { return }
        let now = ContinuousClock.now
        let due = state.withLock { state in
            if let last = state.lastPing, now - last < interval / 2 { return false }
            state.lastPing = now
            return true
        }
        if due { send(["WATCHDOG=1"]) }
    }

    /// Test-only: freezes the loop at its next heartbeat (`VIGIL_TEST_FAULTS=freeze-loop-on-sigusr2`).
    public func freezeLoop() {
        frozen.store(true, ordering: .relaxed)
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
