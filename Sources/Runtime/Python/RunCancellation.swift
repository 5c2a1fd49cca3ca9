#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The run a worker thread is executing, visible to code deep inside it (a Python check's
/// `get_subprocess_output` call) so that a timeout can stop a subprocess the check started.
final class RunCancellation: Sendable {
    private let flag = Atomic(false)

    var isCancelled: Bool { flag.load(ordering: .acquiring) }
    func cancel() { flag.store(true, ordering: .releasing) }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `body` with `self` as the calling thread's current run.
    func whileCurrent<T>(_ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(Self.key)
        pthread_setspecific(Self.key, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.key, previous) }
        return try body()
    }

    /// The calling thread's current run, if any.
    static var current: RunCancellation? {
        guard let pointer = pthread_getspecific(key) else { return nil }
        return Unmanaged<RunCancellation>.fromOpaque(pointer).takeUnretainedValue()
    }
}
