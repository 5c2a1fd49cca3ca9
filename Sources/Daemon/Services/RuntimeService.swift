import Foundation
import Logging
import Runtime
import ServiceLifecycle

/// Keeps the runtime up until shutdown, then tells systemd it is stopping, stops scheduling,
/// lets running checks finish within the grace period and cancels the rest (exec plugins are
/// killed).
struct RuntimeService: Service {
    let runner: CheckRunner
    let grace: Duration
    let notifier: SystemdNotifier
    let events: EventLog

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping()
        events.stopping(grace: grace)
        await runner.shutdown(grace: grace)
    }
}
