import Foundation
import Testing
import TestSupport
import VigilYAML

/// Vigil's parse against PyYAML's `safe_load`, run by the venv's real PyYAML: wherever PyYAML
/// accepts a document, Vigil must build the same Python object (types included); wherever it
/// rejects one, Vigil must reject it too. Vigil may refuse more only where it is stricter on
/// purpose (duplicate keys, recursive aliases, limits).
@Suite struct PyYAMLDifferentialTests {
    struct Report: Decodable {
        struct Stricter: Decodable { var path: String; var code: String; var message: String }
        struct Mismatch: Decodable { var path: String; var problem: String }
        var compared: Int
        var agreed_accept: Int
        var agreed_reject: Int
        var stricter: [Stricter]
        var mismatches: [Mismatch]
    }

    static let fixtures = Repository.root.appendingPathComponent("Tests/VigilYAMLTests/Fixtures")

    static func yamlFiles(under directory: URL, matching: (String) -> Bool) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        var found: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            let path = directory.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
               matching(relative) {
                found.append(path)
            }
        }
        return found.sorted()
    }

    /// Parses every file with Vigil, then lets the Python checker compare with PyYAML.
    static func compare(_ paths: [String]) throws -> Report {
        let scratch = try TemporaryDirectory("vigil-differential")
        var lines = ""
        for path in paths {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            var entry: [String: String?] = ["path": path, "typed": nil, "code": nil, "message": nil]
            do {
                let node = try YAMLParser.parse(bytes)
                entry["typed"] = TypedJSON.encode(node?.value ?? .null)
            } catch {
                entry["code"] = error.code.description
                entry["message"] = error.description
            }
            lines += String(decoding: try JSONEncoder().encode(entry), as: UTF8.self) + "\n"
        }
        let input = try scratch.write("documents.jsonl", lines)
        let result = try runProcess(Repository.venvPython!, [Repository.path("Tests/Python/pyyaml_differential.py"), input])
        try #require(result.status == 0, "checker failed: \(result.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)))
    func fixturesParseExactlyAsPyYAMLDoes() throws {
        let all = Self.yamlFiles(under: Self.fixtures) { $0.hasSuffix(".yaml") }
        let report = try Self.compare(all)
        for mismatch in report.mismatches {
            Issue.record("\(mismatch.path): \(mismatch.problem)")
        }
        let rejected = all.filter { $0.contains("/rejected/") }
        let stricter = all.filter { $0.contains("/stricter/") }
        #expect(report.compared == all.count)
        #expect(report.agreed_reject == rejected.count, "every document PyYAML rejects is rejected")
        #expect(Set(report.stricter.map(\.path)) == Set(stricter), "only the stricter-by-design fixtures differ")
        #expect(report.agreed_accept == all.count - rejected.count - stricter.count)
    }

    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)),
          .enabled(if: Repository.datadogExamples != nil, Comment(rawValue: Repository.examplesMissing)))
    func datadogIntegrationExamplesParseExactlyAsPyYAMLDoes() throws {
        let examples = Self.yamlFiles(under: Repository.datadogExamples!) { !$0.hasSuffix(".md") }
        #expect(examples.count > 100)
        let report = try Self.compare(examples)
        for mismatch in report.mismatches {
            Issue.record("\(mismatch.path): \(mismatch.problem)")
        }
        #expect(report.stricter.isEmpty)
        #expect(report.agreed_accept + report.agreed_reject == examples.count)
        // openldap's example has a tab before a comment, which PyYAML refuses (SOURCES.md).
        #expect(report.agreed_reject >= 1)
    }
}
