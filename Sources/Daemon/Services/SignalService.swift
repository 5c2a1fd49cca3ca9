import Logging
import Reconciler
import ServiceLifecycle
import UnixSignals
import Watch

/// SIGHUP: a full resync (every root re-listed, watches re-attached, every file re-read),
/// announced to systemd as a reload (`RELOADING=1`, then `READY=1` after the pass). The
/// watcher's resync batch is what triggers the one full pass.
struct SignalService: Service {
    let loop: ReconcileLoop
    let watcher: DirectoryWatcher
    let notifier: SystemdNotifier
    let logger: Logger
    let faults: Faults

    /// Test-only faults, from `VIGIL_TEST_FAULTS` (comma-separated).
    struct Faults {
        /// SIGUSR2 freezes the reconcile loop, so tests can watch systemd's watchdog fire.
        var freezeLoopOnSIGUSR2 = false

        init(environment: [String: String]) {
            let names = (environment["VIGIL_TEST_FAULTS"] ?? "").split(separator: ",")
            freezeLoopOnSIGUSR2 = names.contains("freeze-loop-on-sigusr2")
        }
    }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: faults.freezeLoopOnSIGUSR2 ? [.sighup, .sigusr2] : [.sighup])
        for await signal in signals.cancelOnGracefulShutdown() {
            if signal == .sigusr2 {
                logger.warning("test fault: freezing the reconcile loop (SIGUSR2)")
                notifier.freezeLoop()
                continue
            }
            logger.info("SIGHUP: full resync", metadata: [MessageIDs.metadataKey: "\(MessageIDs.reload)"])
            notifier.reloading()
            watcher.requestResync(reason: "SIGHUP")
        }
    }
}
