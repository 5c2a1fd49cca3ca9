import Reconciler
import ServiceLifecycle

/// Runs the reconcile loop, and a ticker that proves the loop is alive between passes.
struct ReconcileService: Service {
    let loop: ReconcileLoop
    let tickInterval: Duration

    func run() async throws {
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: tickInterval)
                loop.trigger(ReconcileTrigger(tick: true))
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
