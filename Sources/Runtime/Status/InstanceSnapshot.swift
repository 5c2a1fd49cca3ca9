public import VigilConfig

/// One instance as status pages show it.
public struct InstanceSnapshot: Sendable {
    public var spec: CheckSpec
    public var loader: String?
    public var state: InstanceState
    public var loaderErrors: [String: String]
    public var skipReason: String?
    public var version: String?
    public var stats: InstanceStats
    public var latestSeries: [Series]
    public var latestServiceChecks: [ServiceCheck]
    public var latestEvents: [CheckEvent]
    public var details: CheckDetails = CheckDetails()
}
