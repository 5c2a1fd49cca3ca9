import Foundation
import TestSupport
import Testing
import VigilConfig

/// Discovery on real directories: the Agent's layout, the files it never reads, symlinks as a
/// Kubernetes ConfigMap mount lays them out, and names that cannot be checks.
@Suite struct ConfigDiscoveryTests {
    static let minimal = "instances: [{}]\n"

    static func relative(_ listing: ConfigDiscovery.Listing, to root: String) -> [String] {
        listing.files.map { String($0.path.dropFirst(root.count + 1)) + " -> " + $0.checkName }
    }

    @Test func agentLayout() throws {
        let dir = try TemporaryDirectory()
        try dir.write("redisdb.d/conf.yaml", Self.minimal)
        try dir.write("redisdb.d/extra.yml", Self.minimal)
        try dir.write("http_check.yaml", Self.minimal)
        try dir.write("nginx.yml", Self.minimal)
        try dir.write("apache.d/conf.yaml.example", Self.minimal)
        try dir.write("README.md", "hi")
        try dir.write("notachecks/conf.yaml", Self.minimal)
        try dir.write("redisdb.d/nested/deeper.yaml", Self.minimal)
        let listing = ConfigDiscovery.discover(roots: [dir.path])
        #expect(Self.relative(listing, to: dir.path) == [
            "http_check.yaml -> http_check", "nginx.yml -> nginx",
            "redisdb.d/conf.yaml -> redisdb", "redisdb.d/extra.yml -> redisdb",
        ])
        #expect(listing.problems.isEmpty)
    }

    @Test func ignoredNames() throws {
        let dir = try TemporaryDirectory()
        try dir.write("disk.d/conf.yaml", Self.minimal)
        try dir.write("disk.d/.conf.yaml.swp", "x")
        try dir.write("disk.d/conf.yaml~", "x")
        try dir.write("disk.d/4913", "x")
        try dir.write(".hidden.yaml", Self.minimal)
        try dir.write("..2026_11_26_12_00_00.123/disk.yaml", Self.minimal)
        let listing = ConfigDiscovery.discover(roots: [dir.path])
        #expect(Self.relative(listing, to: dir.path) == ["disk.d/conf.yaml -> disk"])
    }

    @Test func defaultFilesOnlyWhenNothingElseConfiguresTheCheck() throws {
        let dir = try TemporaryDirectory()
        try dir.write("ntp.d/conf.yaml.default", Self.minimal)
        try dir.write("disk.d/conf.yaml.default", Self.minimal)
        try dir.write("disk.d/conf.yaml", Self.minimal)
        let listing = ConfigDiscovery.discover(roots: [dir.path])
        #expect(Self.relative(listing, to: dir.path) == ["disk.d/conf.yaml -> disk", "ntp.d/conf.yaml.default -> ntp"])
        #expect(listing.skipped.map(\.reason) == ["default config not used: \(dir.path)/disk.d/conf.yaml configures disk"])
    }

    @Test func autoConfAndMetricsAreSkippedWithAReason() throws {
        let dir = try TemporaryDirectory()
        try dir.write("redisdb.d/auto_conf.yaml", Self.minimal)
        try dir.write("jmx.d/metrics.yaml", Self.minimal)
        let listing = ConfigDiscovery.discover(roots: [dir.path])
        #expect(listing.files.isEmpty)
        #expect(listing.skipped.map(\.reason).sorted() == [
            "JMX metric list; Vigil does not run JMX checks", "autodiscovery template; Vigil has no autodiscovery",
        ])
    }

    /// A ConfigMap volume: the visible names are links into `..data/`, which links to a
    /// timestamped directory. Nested keys make `<check>.d` itself a link.
    @Test func configMapSymlinksAreFollowedAndDanglingOnesAreAbsent() throws {
        let dir = try TemporaryDirectory()
        try dir.write("..2026_11_27_00_00_00.1/redisdb.yaml", Self.minimal)
        try dir.write("..2026_11_27_00_00_00.1/disk.d/conf.yaml", Self.minimal)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: dir.file("..data"), withDestinationPath: "..2026_11_27_00_00_00.1")
        try fm.createSymbolicLink(atPath: dir.file("redisdb.yaml"), withDestinationPath: "..data/redisdb.yaml")
        try fm.createSymbolicLink(atPath: dir.file("disk.d"), withDestinationPath: "..data/disk.d")
        try fm.createSymbolicLink(atPath: dir.file("removed.yaml"), withDestinationPath: "..data/removed.yaml")
        let listing = ConfigDiscovery.discover(roots: [dir.path])
        #expect(Self.relative(listing, to: dir.path) == ["disk.d/conf.yaml -> disk", "redisdb.yaml -> redisdb"])
        #expect(listing.skipped.map(\.reason) == ["dangling symlink, treated as absent"])
    }

    @Test func invalidCheckNamesAreProblems() throws {
        let dir = try TemporaryDirectory()
        try dir.write("my-check.yaml", Self.minimal)
        try dir.write("bad name.d/conf.yaml", Self.minimal)
        try dir.write("good.yaml", Self.minimal)
        let listing = ConfigDiscovery.discover(roots: [dir.path])
        #expect(Self.relative(listing, to: dir.path) == ["good.yaml -> good"])
        #expect(listing.problems.map(\.message).sorted() == [
            "check name 'bad name' may contain only letters, digits and underscores ([A-Za-z0-9_]+)",
            "check name 'my-check' may contain only letters, digits and underscores ([A-Za-z0-9_]+)",
        ])
    }

    @Test func missingRootIsAProblemNotACrash() {
        let listing = ConfigDiscovery.discover(roots: ["/nonexistent/vigil/conf.d"])
        #expect(listing.files.isEmpty)
        #expect(listing.problems.first?.message.contains("No such file or directory") == true)
    }

    @Test(arguments: [
        ("conf.d/redisdb.d/conf.yaml", "redisdb"), ("http_check.yaml", "http_check"),
        ("/x/apache.conf.yaml.example", "apache"), ("ntp.conf.yaml.default", "ntp"), ("/etc/vigil/conf.d/redis.yaml", "redis"),
    ])
    func checkNameOfAFileNamedDirectly(_ path: String, _ name: String) throws {
        #expect(try ConfigDiscovery.entry(forFile: path).get().checkName == name)
    }
}
