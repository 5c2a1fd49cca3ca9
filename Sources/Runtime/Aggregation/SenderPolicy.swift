/// How a check's submissions are completed before aggregation, as the Datadog Agent's sender
/// does it: the instance's tags appended (native and exec checks; a Python check adds its own),
/// `service:<name>` when configured, and the default host for an empty hostname unless
/// `empty_default_hostname` is set.
public struct SenderPolicy: Sendable, Equatable {
    public var extraTags: [String]
    public var service: String?
    public var defaultHost: String
    public var emptyDefaultHostname: Bool

    public init(extraTags: [String] = [], service: String? = nil, defaultHost: String, emptyDefaultHostname: Bool = false) {
        self.extraTags = extraTags
        self.service = service
        self.defaultHost = defaultHost
        self.emptyDefaultHostname = emptyDefaultHostname
    }

    /// The check's tags, then the appended ones, without duplicates, order kept.
    func tags(_ own: [String]) -> [String] {
        if extraTags.isEmpty, service == nil { return own }
        if own.count + extraTags.count <= 8 {
            // Small lists: a linear check beats hashing.
            var result = own
            for tag in extraTags + (service.map { ["service:\($0)"] } ?? []) where !result.contains(tag) { result.append(tag) }
            return result.count == own.count ? own : Self.dedupe(result)
        }
        return Self.dedupe(own + extraTags + (service.map { ["service:\($0)"] } ?? []))
    }

    private static func dedupe(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for tag in tags where seen.insert(tag).inserted {
            result.append(tag)
        }
        return result
    }

    func host(_ own: String?) -> String {
        if let own, !own.isEmpty { return own }
        return emptyDefaultHostname ? "" : defaultHost
    }
}
