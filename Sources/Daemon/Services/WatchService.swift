import Reconciler
import ServiceLifecycle
import Watch

/// Runs the watcher and turns its batches into reconcile triggers.
struct WatchService: Service {
    let watcher: DirectoryWatcher
    let loop: ReconcileLoop
    let events: EventLog

    func run() async throws {
        watcher.start()
        for root in watcher.status.roots { events.watcher(root) }
        var lastRoots = watcher.status.roots
        await withGracefulShutdownHandler {
            for await batch in watcher.batches {
                switch batch {
                case .changed(let paths):
                    // New or edited check code may be what a failed load was missing.
                    loop.trigger(ReconcileTrigger(paths: paths, retryNow: paths.contains { $0.hasSuffix(".py") }))
                case .resync(let reasons): events.watcherResync(reasons); loop.trigger(ReconcileTrigger(fullReasons: reasons))
                }
                // Watcher mode changes (polling fallback, a root gone) are worth a line.
                let roots = watcher.status.roots
                for root in roots where !lastRoots.contains(root) { events.watcher(root) }
                lastRoots = roots
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
        watcher.stop()
    }
}
