#if Python
import Foundation
import Testing
@testable import Runtime
import TestSupport
import VigilConfig

/// `init_config` and the instance reach a Python check as the same objects `yaml.safe_load`
/// builds from the file: compared, typed, by a probe check inside Vigil and by PyYAML outside.
@Suite(.serialized, .enabled(if: PythonTesting.available, "\(Repository.venvMissing)"))
struct PythonConfigValueTests {
    /// canon(init_config) and canon(instance) for each instance of each file, from PyYAML.
    static func reference(_ paths: [String]) throws -> [String] {
        let result = try runProcess(Repository.venvPython!, [PythonTesting.fixtures + "/canon_reference.py"] + paths)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The same, from what the probe check was given inside Vigil.
    static func vigil(_ path: String) throws -> [String]? {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let file = CheckFileDecoder(environment: [:]).decode(bytes, path: path, checkName: "probe")
        guard file.isValid else { return nil }
        return try file.specs.map { spec in
            let check = try PythonTesting.load(spec)
            let (submitted, error) = PythonTesting.run(check)
            #expect(error == nil)
            return submitted.warnings.first?.replacingOccurrences(of: "\n", with: "\t") ?? "<no probe output>"
        }
    }

    static let typed = """
        init_config:
          timeout: 2.5
          when: 2001-12-14
          ids: !!set {a, b}
        instances:
          - host: 10.0.0.1
            port: 0x1F
            octal: 0o17
            big: 123456789012345678901234567890
            negative: -9223372036854775808
            ratio: .5
            exponent: 1e3
            infinite: -.inf
            sexagesimal: 1:30
            yes_is_bool: yes
            empty:
            quoted: "42"
            at: 2001-12-14 21:59:43.10 -5
            naive: 2001-12-14 21:59:43.123456789
            blob: !!binary aGVsbG8=
            ordered: !!omap [{b: 1}, {a: 2}]
            pairs: !!pairs [{k: 1}, {k: 2}]
            nested: {list: [1, [2, {three: 3}]], 1: int key, 2.5: float key, null: null key, false: bool key}
            text: "tab\\there, unicode \\u00e9 \\U0001F642"
            multiline: |
              line one
              line two
            tags: [a, 'b:c']
          - {}
        """

    @Test func typedValuesArriveAsPyYAMLBuildsThem() throws {
        let directory = try TemporaryDirectory("vigil-probe")
        let path = try directory.write("probe.yaml", Self.typed)
        let ours = try #require(try Self.vigil(path))
        let theirs = try Self.reference([path])
        #expect(ours.count == 2)
        #expect(ours == theirs)
    }

    @Test(.enabled(if: Repository.datadogExamples != nil, Comment(rawValue: Repository.examplesMissing)))
    func everyDatadogExampleArrivesAsPyYAMLBuildsIt() throws {
        let examples = try #require(Repository.datadogExamples, "\(Repository.examplesMissing)")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".example") }.sorted()
        var compared = 0
        for name in files {
            let path = examples.appendingPathComponent(name).path
            guard let ours = try Self.vigil(path) else { continue }
            let theirs = try Self.reference([path])
            #expect(ours == theirs, "\(name)")
            compared += ours.count
        }
        #expect(compared >= 100, "compared \(compared) instances")
    }
}
#endif
