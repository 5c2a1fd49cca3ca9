import VigilConfig
import VigilYAML

/// Check specs for tests, decoded from YAML the way config files are.
enum Specs {
    static func make(_ check: String, _ instanceYAML: String, initConfig: String = "{}") -> CheckSpec {
        let text = "init_config: \(initConfig)\ninstances:\n  - \(instanceYAML)\n"
        let file = CheckFileDecoder(environment: [:]).decode(Array(text.utf8), path: "test.yaml", checkName: check)
        precondition(file.isValid, "\(file.errors)")
        return file.specs[0]
    }

    /// A spec with an interval below the config minimum, for scheduler tests.
    static func fast(_ name: String, interval: Duration, timeout: Duration? = nil, salt: Int = 0) -> CheckSpec {
        var spec = make(name, "{salt: \(salt)}")
        spec.options.interval = interval
        spec.options.timeout = timeout
        return spec
    }
}
