/// The reserved instance options Vigil itself reads (COMPAT-DATADOG.md §2), typed and checked.
/// Everything else in an instance belongs to the check.
public struct InstanceOptions: Sendable, Hashable {
    /// Default for `min_collection_interval`, as in the Datadog Agent.
    public static let defaultInterval: Duration = .seconds(15)

    /// `min_collection_interval`: seconds between runs, at least 1.
    public var interval: Duration = InstanceOptions.defaultInterval
    /// `name`, else `namespace`: the middle part of the check ID.
    public var instanceName: String?
    /// `tags`: `key:value` strings, in file order.
    public var tags: [String] = []
    /// `service` from the instance, else from init_config.
    public var service: String?
    /// `loader` from the instance, else from init_config: pins one loader.
    public var loader: String?
    /// The loaders Vigil has, in chain order. Another name in `loader:` is a warning where the
    /// file is read and a load error where it runs (the runtime names the loaders it has).
    public static let knownLoaders = ["native", "python", "exec"]
    /// `empty_default_hostname`: submit with no host instead of the default one.
    public var emptyDefaultHostname = false
    /// `timeout`: seconds a run may take; nil means the interval.
    public var timeout: Duration?

    public init() {}
}
