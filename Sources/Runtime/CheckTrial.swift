import Foundation
public import VigilConfig

/// Runs one instance a few times in the calling thread, without a scheduler: `vigil check`.
public struct CheckTrial: Sendable {
    public struct Outcome: Sendable {
        public var snapshot: InstanceSnapshot
        /// Series of every run, in order.
        public var series: [Series]
        public var serviceChecks: [ServiceCheck]
        public var events: [CheckEvent]
        public var failed: Bool
        /// Rate-like metrics were submitted on the only run, so they have no value yet.
        public var needsSecondRun: Bool
    }

    public let chain: LoaderChain
    public let hostname: String

    public init(chain: LoaderChain, hostname: String = ProcessInfoHostname.current) {
        self.chain = chain
        self.hostname = hostname
    }

    public func run(_ spec: CheckSpec, times: Int, pause: Duration) -> Outcome {
        var snapshot = InstanceSnapshot(spec: spec, loader: nil, state: .loadError, loaderErrors: [:], skipReason: nil, version: nil,
                                        stats: InstanceStats(), latestSeries: [], latestServiceChecks: [], latestEvents: [])
        var outcome = Outcome(snapshot: snapshot, series: [], serviceChecks: [], events: [], failed: false, needsSecondRun: false)
        switch chain.load(spec, context: LoadContext(hostname: hostname)) {
        case .failed(let errors, _):
            snapshot.loaderErrors = errors
            outcome.snapshot = snapshot
            outcome.failed = true
            return outcome
        case .skipped(let reason):
            snapshot.state = .skipped
            snapshot.skipReason = reason
            outcome.snapshot = snapshot
            return outcome
        case .loaded(let loader, let check):
            snapshot.loader = loader
            snapshot.state = .scheduled
            snapshot.version = check.version
            let policy = SenderPolicy(extraTags: loader == "python" ? [] : spec.options.tags, service: spec.options.service,
                                      defaultHost: hostname, emptyDefaultHostname: spec.options.emptyDefaultHostname)
            var aggregator = CheckAggregator()
            var statefulOnly = false
            for index in 0..<max(1, times) {
                if index > 0 { Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18) }
                let sender = Sender(policy: policy)
                let startedAt = Date().timeIntervalSince1970
                let start = DispatchTime.now()
                var failure: CheckRunError?
                do { try check.run(sender) } catch let error as CheckRunError { failure = error } catch { failure = CheckRunError("\(error)") }
                let submissions = sender.take()
                let report = RunReport(key: 0, startedAt: startedAt,
                                       duration: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9,
                                       submissions: submissions, error: failure)
                snapshot.stats.record(report)
                let series = aggregator.commit(submissions.metrics, defaultHost: hostname, at: startedAt)
                snapshot.latestSeries = series
                snapshot.latestServiceChecks = submissions.serviceChecks
                snapshot.latestEvents = submissions.events
                outcome.series += series
                outcome.serviceChecks += submissions.serviceChecks
                outcome.events += submissions.events
                if failure != nil { outcome.failed = true }
                statefulOnly = submissions.metrics.contains { [.rate, .monotonicCount, .historate].contains($0.type) }
            }
            outcome.needsSecondRun = times <= 1 && statefulOnly
            outcome.snapshot = snapshot
            return outcome
        }
    }
}
