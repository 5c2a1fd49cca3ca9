public import VigilYAML

/// Turns a config file's bytes into a ``CheckFile``: YAML parse, the file's shape
/// (`init_config`, `instances`), `%%env_…%%` substitution, the reserved options, and each
/// instance's digest and ID. Pure: no file system, no clock; the environment is a parameter.
public struct CheckFileDecoder: Sendable {
    public var limits: YAMLLimits
    public var environment: EnvSubstitution

    public init(limits: YAMLLimits = .default, environment: [String: String]) {
        self.limits = limits
        self.environment = EnvSubstitution(environment: environment)
    }

    public func decode(_ bytes: [UInt8], path: String, checkName: String) -> CheckFile {
        var file = CheckFile(path: path, checkName: checkName)
        func fail(_ mark: Mark?, _ message: String) {
            file.errors.append(ConfigIssue(path: path, mark: mark, message: message))
        }

        let root: ConfigNode?
        do {
            root = try YAMLParser.parse(bytes, limits: limits)
        } catch {
            fail(error.mark, error.message)
            return file
        }
        guard let root, !root.value.isNull else {
            fail(nil, "file is empty: a check config needs an `instances:` list (delete the file to remove its checks)")
            return file
        }
        guard case .mapping = root.value else {
            fail(root.mark, "expected a mapping with `init_config` and `instances` at the top level, found \(root.value.describedType)")
            return file
        }

        var problems: [(mark: Mark, message: String)] = []
        var initConfig = ConfigNode(.mapping([]), at: root.mark)
        if let node = root.value["init_config"] {
            switch node.value {
            case .null: break
            case .mapping: initConfig = environment.apply(node, problems: &problems)
            default: fail(node.mark, "`init_config` must be a mapping or empty, found \(node.value.describedType)")
            }
        }
        var defaults = OptionReader(path: "init_config", node: initConfig)
        let initService = defaults.string("service")
        let initLoader = defaults.string("loader")
        for problem in defaults.problems { fail(problem.mark, problem.message) }
        func warnIfUnknown(_ loader: String?, in node: ConfigNode, at place: String) {
            guard let loader, !InstanceOptions.knownLoaders.contains(loader), let mark = node.value["loader"]?.mark else { return }
            let known = InstanceOptions.knownLoaders.joined(separator: ", ")
            file.warnings.append(ConfigIssue(path: path, mark: mark,
                                             message: "\(place).loader '\(loader)' is not a loader Vigil has (\(known)): the instance will not load"))
        }
        warnIfUnknown(initLoader, in: initConfig, at: "init_config")

        guard let instancesNode = root.value["instances"] else {
            fail(root.mark, "no `instances:` list: a check config needs at least one instance")
            return file
        }
        let instances: [ConfigNode]
        switch instancesNode.value {
        case .sequence(let items) where !items.isEmpty:
            instances = items
        case .sequence, .null:
            fail(instancesNode.mark, "`instances` is empty: a check config needs at least one instance (delete the file to remove its checks)")
            return file
        default:
            fail(instancesNode.mark, "`instances` must be a list of mappings, found \(instancesNode.value.describedType)")
            return file
        }

        let initHash = InstanceDigest.initConfigHash(initConfig.value)
        var firstIndexByID: [CheckID: Int] = [:]
        for (index, original) in instances.enumerated() {
            var item = original
            switch item.value {
            case .mapping: break
            case .null:
                // `- ` with nothing after it is the Agent's idiom for "one instance, all
                // defaults" (ntp's conf.yaml.default): Python's load_config turns None into {}.
                item.value = .mapping([])
            default:
                fail(item.mark, "instances[\(index)] must be a mapping, found \(item.value.describedType)")
                continue
            }
            let instance = environment.apply(item, problems: &problems)
            var reader = OptionReader(path: "instances[\(index)]", node: instance)
            var options = reader.options()
            warnIfUnknown(options.loader, in: instance, at: "instances[\(index)]")
            options.service = options.service ?? initService
            options.loader = options.loader ?? initLoader
            for problem in reader.problems { fail(problem.mark, problem.message) }

            let digest = InstanceDigest.compute(checkName: checkName, initConfigHash: initHash, instance: instance.value)
            let id = CheckID(checkName: checkName, instanceName: options.instanceName, digest: digest)
            if let first = firstIndexByID[id] {
                file.warnings.append(ConfigIssue(path: path, mark: item.mark,
                                                 message: "instances[\(index)] means the same as instances[\(first)] (\(id)); it runs once"))
                continue
            }
            firstIndexByID[id] = index
            file.specs.append(CheckSpec(id: id, checkName: checkName, digest: digest, initConfig: initConfig.value,
                                        instance: instance.value, options: options,
                                        source: ConfigSource(path: path, index: index)))
        }
        for problem in problems { fail(problem.mark, problem.message) }
        if !file.errors.isEmpty {
            file.errors.sort { ($0.mark ?? .start) < ($1.mark ?? .start) }
            file.specs = []
        }
        return file
    }
}
