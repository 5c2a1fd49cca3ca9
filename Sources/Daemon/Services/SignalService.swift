import Logging
import Reconciler
import ServiceLifecycle
import UnixSignals
import Watch

/// SIGHUP: a full resync (every root re-listed and re-read; polled roots retry inotify).
struct SignalService: Service {
    let loop: ReconcileLoop
    let watcher: DirectoryWatcher
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.info("SIGHUP: full resync")
            watcher.requestResync(reason: "SIGHUP")
            loop.trigger(.full("SIGHUP"))
        }
    }
}
