import Foundation
import Synchronization
@testable import Runtime
import VigilConfig

/// A check whose run takes a set time and records how it was run: the seam scheduler tests
/// use to make checks slow, hung or failing on demand.
final class ProbeCheck: Check {
    let duration: Duration
    let fails: Bool
    private let stats = Mutex((runs: 0, concurrent: 0, maxConcurrent: 0, cancels: 0, starts: [Double]()))
    private let cancelled = Atomic<Bool>(false)

    init(duration: Duration = .zero, fails: Bool = false) {
        self.duration = duration
        self.fails = fails
    }

    var runs: Int { stats.withLock { $0.runs } }
    var maxConcurrent: Int { stats.withLock { $0.maxConcurrent } }
    var cancels: Int { stats.withLock { $0.cancels } }
    var starts: [Double] { stats.withLock { $0.starts } }

    func run(_ sender: Sender) throws {
        stats.withLock {
            $0.concurrent += 1
            $0.maxConcurrent = max($0.maxConcurrent, $0.concurrent)
            $0.starts.append(Date().timeIntervalSince1970)
        }
        defer { stats.withLock { $0.concurrent -= 1; $0.runs += 1 } }
        cancelled.store(false, ordering: .relaxed)
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end, !cancelled.load(ordering: .relaxed) { Thread.sleep(forTimeInterval: 0.005) }
        sender.gauge("probe.value", 1)
        if fails { throw CheckRunError("probe failed") }
    }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        stats.withLock { $0.cancels += 1 }
    }
}

/// Hands out ProbeChecks by check name.
struct ProbeLoader: CheckLoader {
    let name = "native"
    let probes: [String: ProbeCheck]

    func load(_ spec: CheckSpec, context: LoadContext) throws(LoadError) -> any Check {
        guard let probe = probes[spec.checkName] else { throw .notFound("no probe \(spec.checkName)") }
        return probe
    }
}

/// Polls until a condition holds or the timeout passes.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
