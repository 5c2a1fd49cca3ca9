import Foundation
import TestSupport
import Testing

/// `vigil validate`, run as the real binary: output, JSON report and exit codes.
@Suite struct ValidateCommandTests {
    static func vigil(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        return try runProcess(Repository.vigilBinary, arguments, environment: env)
    }

    @Test func validTreePrintsInstanceIDsAndExitsZero() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/redisdb.d/conf.yaml", "init_config:\ninstances:\n  - name: main\n    port: 6379\n  - port: 6380\n")
        try dir.write("conf.d/uptime.yaml", "instances:\n  -\n")
        let result = try Self.vigil(["validate", dir.file("conf.d")])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(dir.file("conf.d/redisdb.d/conf.yaml")): OK (redisdb, 2 instances)"))
        #expect(lines.contains { $0.hasPrefix("  redisdb:main:") && $0.count == "  redisdb:main:".count + 16 })
        #expect(lines.contains { $0.hasPrefix("  uptime:") })
        #expect(lines.last == "2 files: 2 valid, 0 invalid; 3 instances")
    }

    @Test func invalidFilePrintsEveryErrorWithLineAndColumnAndExitsOne() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/ok.yaml", "instances: [{}]\n")
        let bad = try dir.write("conf.d/bad.d/conf.yaml", "instances:\n  - min_collection_interval: 0\n  - tags: x\n")
        let result = try Self.vigil(["validate", dir.file("conf.d")])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(bad):2:30: instances[0].min_collection_interval must be at least 1 second, found 0\n"))
        #expect(result.stdout.contains("\(bad):3:11: instances[1].tags must be a list of \"key:value\" strings, found a string\n"))
        #expect(result.stdout.contains("2 files: 1 valid, 1 invalid; 1 instance\n"))
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let dir = try TemporaryDirectory()
        let bad = try dir.write("broken.yaml", "instances:\n  - host: a\n   port: 1\n")
        let result = try Self.vigil(["validate", bad])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("\(bad):3:4: did not find expected '-' indicator"))
    }

    /// A file named directly is validated whatever its name (an `.example` before it is
    /// renamed), with a warning when `vigil run` would not read it there.
    @Test(arguments: [
        ("disk.d/auto_conf.yaml", "autodiscovery template"), ("disk.d/conf.yaml.example", "only *.yaml, *.yml"),
        ("uptime.yaml.bak", "only *.yaml, *.yml"), ("disk.d/conf.yaml~", "editor backups"),
    ])
    func aNamedFileThatRunWouldNotReadSaysSo(_ name: String, _ reason: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("conf.d/" + name, "instances: [{}]\n")
        let result = try Self.vigil(["validate", path])
        #expect(result.status == 0, "still valid YAML and config")
        #expect(result.stdout.contains("\(path): warning: vigil run does not read a file of this name ("), "\(result.stdout)")
        #expect(result.stdout.contains(reason), "\(result.stdout)")
        let plain = try Self.vigil(["validate", try dir.write("conf.d/ok.yaml", "instances: [{}]\n")])
        #expect(!plain.stdout.contains("does not read"), "\(plain.stdout)")
    }

    @Test func aCheckDirectoryNamedDirectlyKeepsItsCheckName() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/redisdb.d/conf.yaml", "instances: [{port: 1}]\n")
        let result = try Self.vigil(["validate", dir.file("conf.d/redisdb.d")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OK (redisdb, 1 instance)"))
        #expect(result.stdout.contains("  redisdb:"))
    }

    @Test func unusablePathsAreCountedApart() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/my-check.yaml", "instances: [{}]\n")
        try dir.write("conf.d/ok.yaml", "instances: [{}]\n")
        let result = try Self.vigil(["validate", dir.file("conf.d")])
        #expect(result.status == 1)
        #expect(result.stdout.contains("my-check.yaml: check name 'my-check' may contain only letters, digits and underscores"))
        #expect(result.stdout.hasSuffix("1 file: 1 valid, 0 invalid; 1 instance; 1 path not usable\n"))
    }

    @Test func usageErrorsExitTwo() throws {
        let missing = try Self.vigil(["validate", "/nonexistent/conf.d"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file or directory: /nonexistent/conf.d"))
        #expect(try Self.vigil(["validate"]).status == 2)
        #expect(try Self.vigil(["validate", "--bogus", "."]).status == 2)
        #expect(try Self.vigil(["nonsense"]).status == 2)
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try Self.vigil(["validate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit status: 0 when every file is valid"))
        let version = try Self.vigil(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("vigil "))
    }

    @Test func jsonReport() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/disk.d/conf.yaml", "init_config:\n  loader: native\ninstances:\n  - name: root\n    min_collection_interval: 60\n    tags: [a:b]\n")
        try dir.write("conf.d/bad.yaml", "instances: 5\n")
        try dir.write("conf.d/disk.d/auto_conf.yaml", "instances: [{}]\n")
        let result = try Self.vigil(["validate", "--json", dir.file("conf.d")])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["valid"] as? Bool == false)
        let files = try #require(report["files"] as? [[String: Any]])
        let disk = try #require(files.first { $0["check"] as? String == "disk" })
        #expect(disk["valid"] as? Bool == true)
        let instance = try #require((disk["instances"] as? [[String: Any]])?.first)
        #expect((instance["id"] as? String)?.hasPrefix("disk:root:") == true)
        #expect(instance["interval_s"] as? Double == 60)
        #expect(instance["loader"] as? String == "native")
        #expect(instance["source"] as? String == "\(dir.file("conf.d/disk.d/conf.yaml"))[0]")
        let bad = try #require(files.first { $0["check"] as? String == "bad" })
        let error = try #require((bad["errors"] as? [[String: Any]])?.first)
        #expect(error["line"] as? Int == 1)
        #expect(error["column"] as? Int == 12)
        #expect(error["message"] as? String == "`instances` must be a list of mappings, found an integer")
        let skipped = try #require(report["skipped"] as? [[String: Any]])
        #expect(skipped.first?["reason"] as? String == "autodiscovery template; Vigil has no autodiscovery")
    }

    @Test func repositoryExamplesAreValid() throws {
        let result = try Self.vigil(["validate", Repository.path("manifests/conf.d")])
        #expect(result.status == 0, "\(result.stdout)")
    }

    /// The IDs Vigil prints equal those of Tests/Python/digest_reference.py, written from the
    /// algorithm's documentation on PyYAML: over every Datadog integration example and every
    /// config-shaped fixture.
    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)))
    func idsMatchAnIndependentImplementationOfTheDocumentedDigest() throws {
        var files = [Repository.path("Tests/VigilYAMLTests/Fixtures/datadog_like.yaml"), Repository.path("manifests/conf.d")]
        if let examples = Repository.datadogExamples {
            files += try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { !$0.hasSuffix(".md") }
                .map { examples.appendingPathComponent($0).path }
        }
        let result = try Self.vigil(["validate", "--json"] + files, environment: ["REDIS_PASSWORD": "x"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var compared = 0, eligible = 0
        for file in try #require(report["files"] as? [[String: Any]]) where file["valid"] as? Bool == true {
            let path = try #require(file["path"] as? String)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if text.contains("%%env_") { continue }  // the reference has no substitution
            eligible += 1
            let ours = (file["instances"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let reference = try runProcess(Repository.venvPython!, [Repository.path("Tests/Python/digest_reference.py"),
                                                                     file["check"] as! String, path])
            #expect(reference.status == 0, "\(reference.stderr)")
            // Vigil drops an instance repeated verbatim in one file; the reference keeps both.
            var seen = Set<String>()
            let expected = reference.stdout.split(separator: "\n").map(String.init).filter { seen.insert($0).inserted }
            #expect(ours == expected, "\(path)")
            compared += 1
        }
        #expect(compared == eligible)
        // manifests/conf.d alone has 6 files; the Datadog examples add over 100.
        #expect(compared >= (Repository.datadogExamples == nil ? 6 : 100))
    }
}
