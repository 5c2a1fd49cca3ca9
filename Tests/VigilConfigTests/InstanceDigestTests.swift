import Testing
import VigilConfig
import VigilYAML

/// IDs name meaning: pinned by golden values (the algorithm is a compatibility promise across
/// releases) and by the cases operators care about.
@Suite struct InstanceDigestTests {
    static func ids(_ text: String, check: String = "redisdb", environment: [String: String] = [:]) -> [String] {
        let file = CheckFileDecoder(environment: environment).decode(Array(text.utf8), path: "t.yaml", checkName: check)
        #expect(file.errors.isEmpty, "\(file.errors)")
        return file.specs.map(\.id.rawValue)
    }

    static let base = """
        init_config:
          service: cache
        instances:
          - name: main
            host: localhost
            port: 6379
            tags: [env:prod, role:cache]
          - host: 10.0.0.2
            port: 6380
        """

    /// Golden: these exact IDs are part of Vigil's contract (computed independently by
    /// Tests/Python/digest_reference.py from the documented algorithm). If this test fails, the digest
    /// algorithm changed, and every running instance would be renamed on upgrade.
    @Test func goldenIDs() {
        #expect(Self.ids(Self.base) == ["redisdb:main:e64d2372c283ba9d", "redisdb:ee4b193ccd19abf1"])
        #expect(Self.ids("instances: [{}]\n", check: "uptime") == ["uptime:10bc86307b362a82"])
        #expect(InstanceDigest.compute(checkName: "x", initConfig: .null, instance: .mapping([])).hex == "399de21df94dfc97")
    }

    @Test func formattingCommentsOrderAndAnchorsDoNotMatter() {
        let reformatted = """
            # Redis, reformatted
            instances:
            - {port: 0x18EB, host: "localhost", tags: ['env:prod', "role:cache"], name: 'main'}   # flow style
            -   port: +6380
                host: 10.0.0.2
            init_config: {service: cache}
            """
        #expect(Self.ids(reformatted) == Self.ids(Self.base))

        let anchored = """
            common: &tags [env:prod, role:cache]
            init_config:
              service: cache
            instances:
              - <<: {host: localhost, port: 6379}
                name: main
                tags: *tags
              - host: 10.0.0.2
                port: 6380
            """
        #expect(Self.ids(anchored) == Self.ids(Self.base))
    }

    @Test func editingOneInstanceKeepsItsSiblingsID() {
        let edited = Self.base.replacingOccurrences(of: "port: 6380", with: "port: 6381")
        let before = Self.ids(Self.base), after = Self.ids(edited)
        #expect(before[0] == after[0])
        #expect(before[1] != after[1])
    }

    @Test func typesListOrderAndInitConfigMatter() {
        let base = Self.ids(Self.base)
        #expect(Self.ids(Self.base.replacingOccurrences(of: "port: 6379", with: "port: \"6379\""))[0] != base[0])
        #expect(Self.ids(Self.base.replacingOccurrences(of: "[env:prod, role:cache]", with: "[role:cache, env:prod]"))[0] != base[0])
        let otherService = Self.ids(Self.base.replacingOccurrences(of: "service: cache", with: "service: other"))
        #expect(otherService[0] != base[0] && otherService[1] != base[1])
        #expect(Self.ids(Self.base, check: "other")[1] != base[1])
    }

    @Test func environmentValuesAreMeaning() {
        let text = "instances:\n  - password: \"%%env_PW%%\"\n"
        let one = Self.ids(text, check: "c", environment: ["PW": "one"])
        let two = Self.ids(text, check: "c", environment: ["PW": "two"])
        #expect(one != two)
        #expect(one == Self.ids("instances:\n  - password: one\n", check: "c"))
    }

    @Test func emptyAndNullInitConfigAreTheSame() {
        let a = Self.ids("init_config:\ninstances: [{a: 1}]\n", check: "c")
        let b = Self.ids("init_config: {}\ninstances: [{a: 1}]\n", check: "c")
        let c = Self.ids("instances: [{a: 1}]\n", check: "c")
        #expect(a == b && b == c)
    }

    @Test func namespaceNamesTheInstanceWhenNameIsAbsent() {
        #expect(Self.ids("instances: [{namespace: ns, a: 1}]\n", check: "c")[0].hasPrefix("c:ns:"))
        #expect(Self.ids("instances: [{name: n, namespace: ns}]\n", check: "c")[0].hasPrefix("c:n:"))
    }
}
