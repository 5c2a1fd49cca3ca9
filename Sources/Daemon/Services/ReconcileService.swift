import Reconciler
import ServiceLifecycle

/// Runs the reconcile loop, and a ticker that proves the loop is alive between passes: each
/// tick goes through the loop's own mailbox, so only a loop that is moving pings systemd's
/// watchdog. Until the first pass is applied, the ticker asks systemd for more start time.
struct ReconcileService: Service {
    let loop: ReconcileLoop
    let tickInterval: Duration
    let notifier: SystemdNotifier

    func run() async throws {
        let loop = self.loop, tickInterval = self.tickInterval, notifier = self.notifier
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: tickInterval)
                loop.trigger(ReconcileTrigger(tick: true))
                let status = loop.status
                if status.ready {
                    notifier.status(StatusLine.make(status))
                } else {
                    notifier.extendStartup(by: tickInterval * 3)
                }
            }
        }
        await withGracefulShutdownHandler {
            await loop.run()
        } onGracefulShutdown: {
            loop.finish()
        }
        ticker.cancel()
    }
}
