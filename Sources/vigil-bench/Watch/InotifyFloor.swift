import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The floor for delivery latency: a bare inotify read loop on its own thread, doing nothing
/// but a blocking read(2) and a clock read per event. Nothing can deliver sooner.
final class InotifyFloor: @unchecked Sendable {
    private let fd: Int32
    private let wd: Int32
    private let done = DispatchSemaphore(value: 0)
    private let arrivals: Mutex<[String: UInt64]> = Mutex([:])
    private let signal = DispatchSemaphore(value: 0)
    private let match: @Sendable (String) -> Bool

    init(directory: String, match: @escaping @Sendable (String) -> Bool) {
        fd = inotify_init1(Int32(IN_CLOEXEC))
        precondition(fd >= 0)
        wd = inotify_add_watch(fd, directory, UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO))
        self.match = match
        let thread = Thread { [self] in
            self.loop()
            self.done.signal()
        }
        thread.start()
    }

    private func loop() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            guard count > 0 else { return }
            let now = BenchClock.nanoseconds()
            var offset = 0
            while offset + 16 <= count {
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                if mask & UInt32(IN_IGNORED) != 0 { return }  // stop() removed the watch
                let length = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let name = String(cString: (buffer.baseAddress! + offset + 16).assumingMemoryBound(to: CChar.self))
                if length > 0, match(name) {
                    arrivals.withLock { $0[name] = now }
                    signal.signal()
                }
                offset += 16 + length
            }
        }
    }

    /// Ends the reader thread (removing the watch wakes it with IN_IGNORED) and closes the fd.
    func stop() {
        inotify_rm_watch(fd, wd)
        done.wait()
        close(fd)
    }

    /// Waits for the event naming `name`; its arrival time.
    func waitFor(_ name: String) -> UInt64? {
        while true {
            if let time = arrivals.withLock({ $0.removeValue(forKey: name) }) { return time }
            if signal.wait(timeout: .now() + 5) == .timedOut { return nil }
        }
    }
}
