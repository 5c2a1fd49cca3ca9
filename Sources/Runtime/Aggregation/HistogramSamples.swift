/// Histogram aggregates over one flush, as the Agent computes them with its default
/// `histogram_aggregates` (max, median, avg, count) and `histogram_percentiles` (0.95);
/// `.count` is a rate over the check's interval of 1.
struct HistogramSamples {
    private var values: [Double] = []

    mutating func add(_ value: Double) { values.append(value) }

    mutating func flush() -> [(suffix: String, type: SeriesType, value: Double)] {
        guard !values.isEmpty else { return [] }
        let sorted = values.sorted()
        values = []
        let count = sorted.count
        let median = sorted[(count - 1) / 2]
        let percentileTarget = (95 * count - 1) / 100
        return [
            (".max", .gauge, sorted[count - 1]),
            (".median", .gauge, median),
            (".avg", .gauge, sorted.reduce(0, +) / Double(count)),
            (".count", .rate, Double(count)),
            (".95percentile", .gauge, sorted[min(count - 1, percentileTarget)]),
        ]
    }
}
