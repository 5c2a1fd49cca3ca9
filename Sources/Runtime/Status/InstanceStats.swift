/// Per-instance run statistics, with the fields of the Datadog Agent's runner stats
/// (`agent status`): totals, last-run and running counts of what was submitted, execution
/// times (a ring of the last 32), and the last error and warnings.
public struct InstanceStats: Sendable, Equatable {
    public var totalRuns = 0
    public var totalErrors = 0
    public var totalWarnings = 0
    /// Runs that came due while the previous run was still going, and were skipped.
    public var skippedRuns = 0
    public var metricSamplesLast = 0
    public var metricSamplesTotal = 0
    public var serviceChecksLast = 0
    public var serviceChecksTotal = 0
    public var eventsLast = 0
    public var eventsTotal = 0
    public var histogramBucketsLast = 0
    public var histogramBucketsTotal = 0
    public var platformEventsLast = 0
    public var platformEventsTotal = 0
    public var executionTimesMs: [Double] = []
    public var lastExecutionMs: Double?
    /// Epoch seconds.
    public var lastRunAt: Double?
    public var lastSuccessAt: Double?
    public var lastError: CheckRunError?
    public var lastWarnings: [String] = []

    public init() {}

    public var averageExecutionMs: Double? {
        executionTimesMs.isEmpty ? nil : executionTimesMs.reduce(0, +) / Double(executionTimesMs.count)
    }

    mutating func record(_ report: RunReport) {
        totalRuns += 1
        let milliseconds = report.duration * 1000
        lastExecutionMs = milliseconds
        executionTimesMs.append(milliseconds)
        if executionTimesMs.count > 32 { executionTimesMs.removeFirst() }
        lastRunAt = report.startedAt
        metricSamplesLast = report.submissions.metrics.count
        metricSamplesTotal += metricSamplesLast
        serviceChecksLast = report.submissions.serviceChecks.count
        serviceChecksTotal += serviceChecksLast
        eventsLast = report.submissions.events.count
        eventsTotal += eventsLast
        histogramBucketsLast = report.submissions.histogramBuckets.count
        histogramBucketsTotal += histogramBucketsLast
        platformEventsLast = report.submissions.platformEvents.count
        platformEventsTotal += platformEventsLast
        lastWarnings = report.submissions.warnings
        totalWarnings += lastWarnings.count
        if let error = report.error {
            totalErrors += 1
            lastError = error
        } else {
            lastError = nil
            lastSuccessAt = report.startedAt + report.duration
        }
    }
}
