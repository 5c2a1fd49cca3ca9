import Foundation
import Logging
import Runtime
import ServiceLifecycle

/// Keeps the runtime up until shutdown, then stops scheduling, lets running checks finish
/// within the grace period and cancels the rest (exec plugins are killed).
struct RuntimeService: Service {
    let runner: CheckRunner
    let grace: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("stopping: letting running checks finish", metadata: ["grace_s": "\(grace.components.seconds)"])
        await runner.shutdown(grace: grace)
    }
}
