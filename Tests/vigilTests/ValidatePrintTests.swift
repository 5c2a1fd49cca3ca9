import Foundation
import TestSupport
import Testing

/// `vigil validate --print`, run as the real binary: each instance as one line of typed JSON,
/// errors on stderr, and the custom Python checks byte-compiled.
@Suite struct ValidatePrintTests {
    static func vigil(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ValidateCommandTests.vigil(arguments, environment: environment)
    }

    /// A python to compile with: the development venv's, else the system's.
    static let python: String? = [Repository.venvPython, "/usr/bin/python3"].compactMap { $0 }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let pythonMissing = "needs a python3 (the venv's, or /usr/bin/python3)"

    /// A directory laid out like a venv (`bin/python3`), pointing at ``python``.
    static func fakeVenv(in dir: TemporaryDirectory) throws -> String {
        let venv = dir.file("venv")
        try FileManager.default.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: venv + "/bin/python3", withDestinationPath: python!)
        return venv
    }

    /// The IDs `vigil validate --json` prints for `paths`, in order.
    static func jsonIDs(_ paths: [String], environment: [String: String] = [:]) throws -> [String] {
        let result = try vigil(["validate", "--json"] + paths, environment: environment)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        return files.flatMap { ($0["instances"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
    }

    static let typedFixture = """
    init_config:
      defaults: &defaults
        timeout: 5
        verify: on
    instances:
      - name: scalars
        yes_bool: yes
        on_bool: on
        hex: 0x1F
        octal_like: 0o17
        octal: 017
        underscored: 1_000
        float: 15.0
        not_a_number: .nan
        minus_inf: -.inf
        when: 2001-12-14t21:59:43.10-05:00
        quoted_number: "123"
        quoted_hex: '0x1F'
        nothing: ~
      - <<: *defaults
        name: merged
        timeout: 10

    """

    @Test func printsEachScalarAsWhatItBecameWithTheIDsValidateJSONPrints() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("conf.d/typed.d/conf.yaml", Self.typedFixture)
        try FileManager.default.createDirectory(atPath: dir.file("checks.d"), withIntermediateDirectories: true)
        let result = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("checks.d"), dir.file("conf.d")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let ids = try Self.jsonIDs([dir.file("conf.d")])
        try #require(ids.count == 2)
        let initConfig = #"{"defaults":{"timeout":5,"verify":true}}"#
        let scalars = #"{"name":"scalars","yes_bool":true,"on_bool":true,"hex":31,"octal_like":"0o17","octal":15,"#
            + #""underscored":1000,"float":15.0,"not_a_number":{"!float":".nan"},"minus_inf":{"!float":"-.inf"},"#
            + #""when":{"!timestamp":"2001-12-14T21:59:43.100000-05:00"},"quoted_number":"123","quoted_hex":"0x1F","nothing":null}"#
        // The merge key's entries come first and an explicit key overrides in place, as in PyYAML.
        let merged = #"{"timeout":10,"verify":true,"name":"merged"}"#
        let expected = [(0, scalars), (1, merged)].map { index, instance in
            #"{"check":"typed","id":"\#(ids[index])","source":"\#(path)[\#(index)]","path":"\#(path)","index":\#(index),"#
                + #""init_config":\#(initConfig),"instance":\#(instance)}"#
        }
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(ids[0].hasPrefix("typed:scalars:") && ids[1].hasPrefix("typed:merged:"))
    }

    @Test func idsEqualThoseOfValidateJSONForTheRepositoryExamples() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("checks.d"), withIntermediateDirectories: true)
        let confD = Repository.path("manifests/conf.d")
        let result = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("checks.d"), confD])
        #expect(result.status == 0, "\(result.stderr)")
        let printed: [String] = try result.stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["id"] as? String)
        }
        #expect(printed.count >= 6)
        #expect(printed == (try Self.jsonIDs([confD])))
    }

    @Test func invalidFilesGoToStderrAndExitOne() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/ok.yaml", "instances: [{port: 1}]\n")
        let bad = try dir.write("conf.d/bad.d/conf.yaml", "instances:\n  - min_collection_interval: 0\n")
        try FileManager.default.createDirectory(atPath: dir.file("checks.d"), withIntermediateDirectories: true)
        let result = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("checks.d"), dir.file("conf.d")])
        #expect(result.status == 1)
        #expect(result.stderr == "\(bad):2:30: instances[0].min_collection_interval must be at least 1 second, found 0\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"check":"ok","id":"ok:"#) == true)
        #expect(lines.first?.hasSuffix(#""init_config":{},"instance":{"port":1}}"#) == true)
    }

    @Test(.enabled(if: Self.python != nil, Comment(rawValue: Self.pythonMissing)))
    func aSyntaxErrorInAPythonCheckNamesItsLineAndExitsNonZero() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/ok.yaml", "instances: [{}]\n")
        try dir.write("checks.d/good.py", "from datadog_checks.base import AgentCheck\n\nclass Good(AgentCheck):\n    pass\n")
        let broken = try dir.write("checks.d/broken.py", "import os\n\ndef check(self)\n    return os.sep\n")
        let result = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("checks.d"),
                                     "--python-venv", try Self.fakeVenv(in: dir), dir.file("conf.d")])
        #expect(result.status == 1)
        #expect(result.stderr == "\(broken):3: SyntaxError: expected ':'\n")
        #expect(result.stdout.hasPrefix(#"{"check":"ok","#), "the YAML is still printed")
        // Compiled in memory: no __pycache__ left behind.
        #expect(!FileManager.default.fileExists(atPath: dir.file("checks.d/__pycache__")))
    }

    @Test(.enabled(if: Self.python != nil, Comment(rawValue: Self.pythonMissing)))
    func goodPythonChecksExitZero() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/ok.yaml", "instances: [{}]\n")
        try dir.write("checks.d/good.py", "def check():\n    return 1\n")
        try dir.write("checks.d/also_good.py", "VALUE = [1,\n  2]\n")
        try dir.write("other.d/third.py", "x = 1\n")
        let result = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("checks.d"), "--checks-dir", dir.file("other.d"),
                                     "--python-venv", try Self.fakeVenv(in: dir), dir.file("conf.d")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
    }

    @Test func aMissingPythonIsReportedAndTheYAMLStillChecked() throws {
        let dir = try TemporaryDirectory()
        try dir.write("conf.d/ok.yaml", "instances: [{}]\n")
        try dir.write("checks.d/good.py", "x = 1\n")
        let result = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("checks.d"),
                                     "--python-venv", dir.file("no-venv"), dir.file("conf.d")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("no Python interpreter at \(dir.file("no-venv"))/bin/python3"))
        #expect(result.stderr.contains("only the YAML was checked"))
        #expect(result.stdout.hasPrefix(#"{"check":"ok","#))
    }

    @Test func usageErrorsExitTwo() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("ok.yaml", "instances: [{}]\n")
        let both = try Self.vigil(["validate", "--print", "--json", file])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--json and --print cannot be combined"))
        #expect(try Self.vigil(["validate", "--checks-dir", dir.path, file]).status == 2)
        let missing = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("nope"), file])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--checks-dir: no such directory"))
    }

    /// Decoding the printed typed JSON gives back what PyYAML's `safe_load` gives, types
    /// included, for every instance of the repository's examples and of every Datadog
    /// integration example (Tests/Python/print_reference.py reuses pyyaml_differential.py's
    /// decoder and comparison).
    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)))
    func decodingThePrintedJSONGivesWhatPyYAMLGives() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("checks.d"), withIntermediateDirectories: true)
        var files = [Repository.path("manifests/conf.d")]
        if let examples = Repository.datadogExamples {
            files += try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { !$0.hasSuffix(".md") }
                .sorted().map { examples.appendingPathComponent($0).path }
        }
        let result = try Self.vigil(["validate", "--print", "--checks-dir", dir.file("checks.d")] + files,
                                    environment: ["REDIS_PASSWORD": "x"])
        let printed = try dir.write("printed.jsonl", result.stdout)
        let reference = try runProcess(Repository.venvPython!, [Repository.path("Tests/Python/print_reference.py"), printed])
        try #require(reference.status == 0, "\(reference.stderr)")
        struct Report: Decodable {
            struct Mismatch: Decodable { var source: String; var problem: String }
            var compared: Int
            var skipped: [String]
            var mismatches: [Mismatch]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(reference.stdout.utf8))
        for mismatch in report.mismatches { Issue.record("\(mismatch.source): \(mismatch.problem)") }
        #expect(report.mismatches.isEmpty)
        #expect(report.compared + report.skipped.count > 0)
        // manifests/conf.d has 7 instances; the Datadog examples add well over 100.
        #expect(report.compared >= (Repository.datadogExamples == nil ? 7 : 100))
    }
}
