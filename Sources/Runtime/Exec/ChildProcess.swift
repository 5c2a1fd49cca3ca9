import Foundation
import CVigilSpawn

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion the way a monitoring plugin must be run: its own process
/// group (so a timeout kills everything it started), default signal dispositions (Vigil
/// ignores SIGPIPE; a plugin must not inherit that), stdout and stderr captured up to a cap,
/// and always reaped.
enum ChildProcess {
    struct Result {
        enum Ending: Equatable {
            case exited(Int32)
            case signaled(Int32)
            case timedOut
        }
        var ending: Ending
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// Output beyond the cap was read and dropped.
        var truncated: Bool
        var duration: Double
    }

    struct SpawnError: Error, CustomStringConvertible {
        var errno: Int32
        var program: String
        var description: String { "cannot run \(program): \(String(cString: strerror(errno)))" }
    }

    /// Environment variables a plugin must not see: with them it could talk to systemd as if
    /// it were Vigil (SYSTEMD.md §1).
    static let withheldVariables: Set<String> = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"]

    /// - Parameters:
    ///   - killGrace: after SIGTERM to the group at the timeout, how long before SIGKILL.
    ///   - cancelled: polled while waiting; true ends the run as a timeout would.
    /// A command line and environment converted to C strings once, for running many times.
    final class Prepared: @unchecked Sendable {
        let program: String
        let argv: [UnsafeMutablePointer<CChar>?]
        let envp: [UnsafeMutablePointer<CChar>?]

        init(_ arguments: [String], environment: [String: String]) {
            program = arguments[0]
            argv = arguments.map { strdup($0) } + [nil]
            envp = environment.filter { !ChildProcess.withheldVariables.contains($0.key) }.sorted { $0.key < $1.key }
                .map { strdup("\($0.key)=\($0.value)") } + [nil]
        }

        deinit {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
    }

    static func run(_ argv: [String], environment: [String: String], timeout: Double, outputCap: Int = 64 * 1024,
                    killGrace: Double = 2, cancelled: () -> Bool = { false }) throws(SpawnError) -> Result {
        try run(Prepared(argv, environment: environment), timeout: timeout, outputCap: outputCap, killGrace: killGrace, cancelled: cancelled)
    }

    static func run(_ prepared: Prepared, timeout: Double, outputCap: Int = 64 * 1024,
                    killGrace: Double = 2, cancelled: () -> Bool = { false }) throws(SpawnError) -> Result {
        let argv = [prepared.program]
        let started = DispatchTime.now()
        // Close-on-exec from birth: a plugin spawned by another worker at the same moment must
        // not inherit these pipes (it would hold them open and delay this run's end of output).
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard vigil_pipe_cloexec(&outPipe) == 0 else { throw SpawnError(errno: errno, program: argv[0]) }
        guard vigil_pipe_cloexec(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw SpawnError(errno: errno, program: argv[0])
        }
        for fd in [outPipe[0], errPipe[0]] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // And nothing else of Vigil's: descriptors opened without O_CLOEXEC by libraries (or
        // the embedded interpreter) are closed in the child.
        _ = vigil_spawn_closefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        var status: Int32 = 0
        ChildRegistry.spawning {
            status = posix_spawn(&pid, prepared.program, &actions, &attributes, prepared.argv, prepared.envp)
            return status == 0 ? pid : nil
        }
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw SpawnError(errno: status, program: argv[0])
        }
        defer { close(outPipe[0]); close(errPipe[0]) }

        var output = Collected(cap: outputCap), errors = Collected(cap: outputCap)
        let deadline = started.uptimeNanoseconds + UInt64(max(0, timeout) * 1e9)
        var ending: Result.Ending?
        var leaderStatus: Int32 = 0
        var leaderExited = false

        var outOpen = true, errOpen = true
        var backoff: UInt32 = 50  // µs, while waiting for a leader that has closed its output
        while ending == nil {
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline || cancelled() {
                ending = .timedOut
                break
            }
            if outOpen || errOpen {
                // Collect output; wake at least every 100 ms to check the deadline and to
                // notice a leader that exited while a descendant holds the pipes open.
                var fds = [pollfd(fd: outOpen ? outPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: errOpen ? errPipe[0] : -1, events: Int16(POLLIN), revents: 0)]
                let slice = Int32(min(100, max(1, (deadline - now) / 1_000_000)))
                _ = poll(&fds, 2, slice)
                if fds[0].revents != 0, output.drain(outPipe[0]) { outOpen = false }
                if fds[1].revents != 0, errors.drain(errPipe[0]) { errOpen = false }
            } else if !leaderExited, waitpid(pid, &leaderStatus, WNOHANG) != pid {
                // Both pipes are closed: the leader exits within microseconds as a rule.
                usleep(backoff)
                backoff = min(backoff * 2, 10_000)
            } else {
                leaderExited = true
            }
            if !leaderExited, waitpid(pid, &leaderStatus, WNOHANG) == pid { leaderExited = true }
            if leaderExited {
                // Whatever is buffered now is all we take (a descendant may hold the pipes).
                if outOpen { _ = output.drain(outPipe[0]) }
                if errOpen { _ = errors.drain(errPipe[0]) }
                ending = Self.ending(leaderStatus)
            }
        }

        if ending == .timedOut {
            kill(-pid, SIGTERM)
            let graceEnd = DispatchTime.now().uptimeNanoseconds + UInt64(killGrace * 1e9)
            while !leaderExited, DispatchTime.now().uptimeNanoseconds < graceEnd {
                if waitpid(pid, &leaderStatus, WNOHANG) == pid { leaderExited = true } else { usleep(10_000) }
            }
            kill(-pid, SIGKILL)
            if !leaderExited { waitpid(pid, &leaderStatus, 0) }
        } else {
            // The plugin is done; anything it left running in its group goes with it.
            kill(-pid, SIGKILL)
        }
        ChildRegistry.release(pid)
        OrphanReaper.runEnded()
        let duration = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return Result(ending: ending!, stdout: output.bytes, stderr: errors.bytes,
                      truncated: output.truncated || errors.truncated, duration: duration)
    }

    private static func ending(_ status: Int32) -> Result.Ending {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// Output read so far, kept up to the cap; more is read and dropped so the child never
    /// blocks on a full pipe.
    struct Collected {
        let cap: Int
        var bytes: [UInt8] = []
        var truncated = false
        var sawEOF = false

        /// Reads what is available; true at end of file.
        mutating func drain(_ fd: Int32) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = read(fd, &chunk, chunk.count)
                if count > 0 {
                    let room = max(0, cap - bytes.count)
                    bytes.append(contentsOf: chunk.prefix(min(room, count)))
                    if count > room { truncated = true }
                    continue
                }
                if count == 0 {
                    sawEOF = true
                    return true
                }
                if errno == EINTR { continue }
                return false
            }
        }
    }
}
