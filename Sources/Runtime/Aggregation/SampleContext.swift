/// A metric context: name, host and tag set (order-insensitive, as the Agent keys contexts).
struct SampleContext: Hashable {
    let name: String
    let host: String
    let tags: [String]

    init(_ sample: MetricSample, defaultHost: String) {
        name = sample.name
        host = sample.host ?? defaultHost
        tags = sample.tags.count < 2 ? sample.tags : sample.tags.sorted()
    }
}
