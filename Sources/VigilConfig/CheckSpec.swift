public import VigilYAML

/// Where an instance came from: its file and its position in `instances`.
public struct ConfigSource: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var index: Int

    public init(path: String, index: Int) {
        self.path = path
        self.index = index
    }

    /// `path[index]`, as the Datadog Agent's status shows a configuration source.
    public var description: String { "\(path)[\(index)]" }
}

/// One check instance as Vigil wants it to run: the unit the reconciler diffs and the runtime
/// loads. Identity is ``id``; two specs with the same ID mean the same thing.
public struct CheckSpec: Sendable, Identifiable {
    public var id: CheckID
    public var checkName: String
    public var digest: InstanceDigest
    /// The file's init_config after substitution (an empty mapping when absent or null).
    public var initConfig: ConfigValue
    /// The instance mapping after substitution, reserved options included.
    public var instance: ConfigValue
    public var options: InstanceOptions
    public var source: ConfigSource

    public init(id: CheckID, checkName: String, digest: InstanceDigest, initConfig: ConfigValue,
                instance: ConfigValue, options: InstanceOptions, source: ConfigSource) {
        self.id = id
        self.checkName = checkName
        self.digest = digest
        self.initConfig = initConfig
        self.instance = instance
        self.options = options
        self.source = source
    }
}
