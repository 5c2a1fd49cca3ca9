import ServiceLifecycle

/// Re-resolves the DogStatsD target when the forwarder asks (after a failed send), off the
/// check workers and at most once a second. Requests merge: a burst of failures is one lookup.
struct DogStatsDService: Service {
    let forwarder: DogStatsDForwarder

    func run() async throws {
        for await _ in forwarder.resolveRequests.cancelOnGracefulShutdown() {
            await forwarder.resolveOffPool()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
