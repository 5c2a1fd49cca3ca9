import Foundation
import Synchronization

/// Watches config directories and delivers coalesced ``WatchBatch``es (WATCHING.md).
///
/// inotify on each root and each subdirectory one level down, including ones that appear
/// later and symlinked ones; Kubernetes ConfigMap swaps are reported as changes of the visible
/// files; queue overflow rebuilds the watches and asks for a resync; a root that vanishes is
/// waited for; a root that runs out of inotify watches is polled instead. The work happens on
/// one dedicated thread blocked in `poll`, so an idle watcher costs no CPU and never holds a
/// thread of Swift's concurrency pool.
///
/// Owns its descriptors: the inotify fd lives and dies with the thread, the wake eventfd with
/// this object.
public final class DirectoryWatcher: Sendable {
    public let options: WatchOptions
    private let outbox = BatchOutbox()
    private let control: WatchControl
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

    public init(options: WatchOptions) throws(WatchError) {
        self.options = options
        control = try WatchControl()
        let control = self.control
        options.faults?.onInject = { control.wake.signal() }
    }

    /// The batches, for one consumer; the sequence ends after ``stop()``.
    public var batches: WatchBatches { WatchBatches(outbox: outbox) }

    public var status: WatchStatus { control.status.withLock { $0 } }

    /// The wake pipe's read end, for tests that check descriptors are released.
    var wakeDescriptor: Int32 { control.wake.fd }

    /// Starts the watcher thread. The initial state is set up before the first batch, so a
    /// caller can read the tree right after `start()` and trust batches for what follows.
    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let (options, outbox, control, finished) = (self.options, self.outbox, self.control, self.finished)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread {
            let engine = WatchEngine(options: options, outbox: outbox, control: control)
            engine.runAfterSetup { ready.signal() }
            finished.signal()
        }
        thread.name = "vigil-watch"
        thread.start()
        ready.wait()
    }

    /// Asks for a full resync (SIGHUP uses this); delivered like any batch. Like the periodic
    /// resync, it also re-adds the watches (for symlinks re-targeted without an event) and
    /// retries inotify for roots that fell back to polling.
    public func requestResync(reason: String) {
        control.request { $0.resyncReasons.append(reason) }
    }

    /// Stops the thread and waits for it; closes the inotify descriptor. Idempotent.
    public func stop() {
        guard started.load(ordering: .acquiring) else { return }
        let alreadyStopped = control.requests.withLock { requests in
            defer { requests.stop = true }
            return requests.stop
        }
        guard !alreadyStopped else { return }
        control.wake.signal()
        finished.wait()
    }

    /// Runs until the surrounding task is cancelled, then stops.
    public func run() async {
        start()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(86_400))
        }
        stop()
    }
}
