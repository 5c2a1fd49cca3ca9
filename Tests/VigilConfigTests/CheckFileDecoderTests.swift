import Testing
import VigilConfig
import VigilYAML

/// The file model: what is accepted, what each reserved option must be, and that every error
/// names its line and column. A file with any error yields no instances at all.
@Suite struct CheckFileDecoderTests {
    static func decode(_ text: String, environment: [String: String] = [:]) -> CheckFile {
        CheckFileDecoder(environment: environment).decode(Array(text.utf8), path: "conf.d/c.yaml", checkName: "c")
    }

    static func errors(_ text: String) -> [String] {
        decode(text).errors.map(\.description)
    }

    @Test func optionsAreReadWithDefaults() throws {
        let file = Self.decode("""
            init_config:
              service: svc
              loader: python
            instances:
              - host: a
              - min_collection_interval: 30
                name: second
                tags: [a:b, c]
                service: own
                loader: exec
                empty_default_hostname: yes
                timeout: 2.5
            """)
        #expect(file.isValid)
        let first = try #require(file.specs.first).options
        #expect(first.interval == .seconds(15))
        #expect(first.service == "svc")
        #expect(first.loader == "python")
        #expect(first.tags.isEmpty && first.timeout == nil && !first.emptyDefaultHostname)
        let second = file.specs[1].options
        #expect(second.interval == .seconds(30))
        #expect(second.instanceName == "second")
        #expect(second.tags == ["a:b", "c"])
        #expect(second.service == "own" && second.loader == "exec")
        #expect(second.emptyDefaultHostname)
        #expect(second.timeout == .milliseconds(2500))
        #expect(file.specs[1].source.description == "conf.d/c.yaml[1]")
    }

    @Test func nullInstanceIsAnInstanceWithDefaults() {
        let file = Self.decode("init_config:\ninstances:\n  -\n")
        #expect(file.isValid)
        #expect(file.specs.count == 1)
        #expect(file.specs[0].instance == .mapping([]))
    }

    @Test func emptyFileIsInvalidNotEmpty() {
        #expect(Self.errors("") == ["conf.d/c.yaml: file is empty: a check config needs an `instances:` list (delete the file to remove its checks)"])
        #expect(Self.errors("# just a comment\n").count == 1)
    }

    @Test(arguments: [
        ("init_config:\n", "conf.d/c.yaml:1:1: no `instances:` list: a check config needs at least one instance"),
        ("instances:\n", "conf.d/c.yaml:1:11: `instances` is empty: a check config needs at least one instance (delete the file to remove its checks)"),
        ("instances: []\n", "conf.d/c.yaml:1:12: `instances` is empty: a check config needs at least one instance (delete the file to remove its checks)"),
        ("instances: {a: 1}\n", "conf.d/c.yaml:1:12: `instances` must be a list of mappings, found a mapping"),
        ("- a\n", "conf.d/c.yaml:1:1: expected a mapping with `init_config` and `instances` at the top level, found a list"),
        ("init_config: [1]\ninstances: [{}]\n", "conf.d/c.yaml:1:14: `init_config` must be a mapping or empty, found a list"),
        ("instances:\n  - a string\n", "conf.d/c.yaml:2:5: instances[0] must be a mapping, found a string"),
    ])
    func fileShapeErrors(_ text: String, _ expected: String) {
        #expect(Self.errors(text) == [expected])
    }

    @Test(arguments: [
        ("min_collection_interval: 0.5", "instances[0].min_collection_interval must be at least 1 second, found 0.5"),
        ("min_collection_interval: 0", "instances[0].min_collection_interval must be at least 1 second, found 0"),
        ("min_collection_interval: 30s", "instances[0].min_collection_interval must be a number of seconds, found a string '30s'"),
        ("min_collection_interval: yes", "instances[0].min_collection_interval must be a number of seconds, found a boolean (true)"),
        ("min_collection_interval: .inf", "instances[0].min_collection_interval must be a finite number of seconds, found infinity"),
        ("timeout: -.inf", "instances[0].timeout must be a finite number of seconds, found -infinity"),
        ("timeout: .nan", "instances[0].timeout must be a finite number of seconds, found NaN"),
        ("timeout: 0", "instances[0].timeout must be greater than 0 seconds, found 0"),
        ("tags: env:prod", "instances[0].tags must be a list of \"key:value\" strings, found a string"),
        ("tags: [a, 1]", "instances[0].tags[1] must be a string, found an integer (1) (quote it)"),
        ("name: [x]", "instances[0].name must be a string, found a list"),
        ("service: 5", "instances[0].service must be a string, found an integer"),
        ("loader: {a: b}", "instances[0].loader must be a string, found a mapping"),
        ("empty_default_hostname: 1", "instances[0].empty_default_hostname must be true or false, found an integer"),
    ])
    func reservedOptionErrorsNameTheOptionAndLine(_ option: String, _ message: String) {
        let errors = Self.decode("instances:\n  - host: a\n    \(option)\n").errors
        #expect(errors.count == 1)
        #expect(errors.first?.message == message)
        #expect(errors.first?.mark?.line == 3)
    }

    /// `loader: bogus` is valid YAML and config, but will never load: say so where the file
    /// is read (vigil validate, /status), at the key's line.
    @Test func anUnknownLoaderIsAWarningAtItsLine() {
        let file = Self.decode("init_config:\n  loader: pyhton\ninstances:\n  - {}\n  - loader: bogus\n  - loader: exec\n")
        #expect(file.isValid && file.specs.count == 3)
        #expect(file.warnings.map(\.message) == [
            "init_config.loader 'pyhton' is not a loader Vigil has (native, python, exec): the instance will not load",
            "instances[1].loader 'bogus' is not a loader Vigil has (native, python, exec): the instance will not load",
        ])
        #expect(file.warnings.map { $0.mark?.line } == [2, 5])
        #expect(Self.decode("instances:\n  - loader: python\n  - loader: native\n").warnings.isEmpty)
    }

    @Test(arguments: ["min_collection_interval: 1.0e+300", "timeout: 1.0e+16", "min_collection_interval: 99999999999999999999"])
    func hugeDurationsAreErrorsNotCrashes(_ option: String) {
        let errors = Self.decode("instances:\n  - \(option)\n").errors
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("must be at most 315360000 seconds") == true)
    }

    @Test func subMillisecondTimeoutsKeepTheirValue() throws {
        let spec = try #require(Self.decode("instances:\n  - timeout: 0.0001\n").specs.first)
        #expect(spec.options.timeout == .microseconds(100))
    }

    @Test func namesAreMadeSafeForIDs() throws {
        let file = Self.decode("instances:\n  - name: \"db:primary\\nrw\"\n  - name: my redis\n")
        #expect(file.specs.map { $0.id.rawValue.split(separator: ":").count } == [3, 3])
        #expect(file.specs[0].id.rawValue.hasPrefix("c:db_primary_rw:"))
        #expect(file.specs[1].id.rawValue.hasPrefix("c:my_redis:"))
        #expect(file.specs[0].options.instanceName == "db:primary\nrw", "the name itself is kept")
    }

    @Test func substitutionThatMakesKeysEqualIsADuplicate() {
        let file = Self.decode("instances:\n  - a: 1\n    \"%%env_K%%\": 2\n", environment: ["K": "a"])
        #expect(file.errors.map(\.description) == [
            "conf.d/c.yaml:3:5: key '%%env_K%%' becomes 'a' after substitution, a duplicate of the key at line 2, column 5",
        ])
    }

    @Test func malformedPlaceholderIsAnError() {
        let file = Self.decode("instances:\n  - v: \"%%env_MY-VAR%%\"\n", environment: ["MY-VAR": "x"])
        #expect(file.errors.first?.message == "'%%env_MY-VAR%%' does not name an environment variable (names are letters, digits and _)")
    }

    @Test func everyErrorIsReportedNotJustTheFirst() {
        let file = Self.decode("instances:\n  - timeout: -1\n  - tags: 5\n  - 7\n")
        #expect(file.errors.map { $0.mark?.line } == [2, 3, 4])
        #expect(file.specs.isEmpty)
    }

    @Test func unsetEnvironmentVariableIsAnErrorNamingIt() {
        let file = Self.decode("instances:\n  - password: \"%%env_DB_PASSWORD%%\"\n    user: \"%%env_DB_USER%%\"\n",
                               environment: ["DB_USER": "app"])
        #expect(file.errors.map(\.description) == [
            "conf.d/c.yaml:2:15: environment variable DB_PASSWORD is not set (used as %%env_DB_PASSWORD%%)",
        ])
    }

    @Test func environmentIsSubstitutedInKeysAndValuesAndStaysAString() throws {
        let file = Self.decode("init_config:\n  \"%%env_K%%\": x\ninstances:\n  - port: \"%%env_PORT%%\"\n    url: http://%%env_HOST%%:80/\n",
                               environment: ["K": "key", "PORT": "6379", "HOST": "db"])
        let spec = try #require(file.specs.first)
        #expect(spec.instance["port"]?.value == .string("6379"))
        #expect(spec.instance["url"]?.value == .string("http://db:80/"))
        #expect(spec.initConfig["key"]?.value == .string("x"))
    }

    @Test func identicalInstancesRunOnceWithAWarning() {
        let file = Self.decode("instances:\n  - {a: 1, b: 2}\n  - {b: 2, a: 1}\n")
        #expect(file.isValid)
        #expect(file.specs.count == 1)
        #expect(file.warnings.first?.message.contains("means the same as instances[0]") == true)
        #expect(file.warnings.first?.mark?.line == 3)
    }

    @Test func yamlErrorsKeepTheirPosition() {
        #expect(Self.errors("instances:\n  - a: 1\n    a: 2\n") == ["conf.d/c.yaml:3:5: duplicate key 'a' (first defined at line 2, column 5)"])
    }
}
