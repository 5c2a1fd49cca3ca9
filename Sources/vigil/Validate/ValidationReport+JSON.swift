import Foundation
import VigilConfig

extension ValidationReport {
    /// The machine report; keys are snake_case and stable.
    struct JSONReport: Encodable {
        struct Summary: Encodable { var files: Int; var valid: Int; var invalid: Int; var instances: Int; var unusable_paths: Int }
        struct Issue: Encodable {
            var path: String
            var line: Int?
            var column: Int?
            var message: String
        }
        struct Instance: Encodable {
            var id: String
            var index: Int
            var name: String?
            var digest: String
            var source: String
            var interval_s: Double
            var loader: String?
            var tags: [String]
        }
        struct File: Encodable {
            var path: String
            var check: String
            var valid: Bool
            var instances: [Instance]
            var errors: [Issue]
            var warnings: [Issue]
        }
        struct Skipped: Encodable { var path: String; var reason: String }

        var valid: Bool
        var summary: Summary
        var files: [File]
        var problems: [Issue]
        var skipped: [Skipped]
    }

    func json() -> String {
        func issue(_ i: ConfigIssue) -> JSONReport.Issue {
            JSONReport.Issue(path: i.path, line: i.mark.map { Int($0.line) }, column: i.mark.map { Int($0.column) }, message: i.message)
        }
        let files = self.files.map { file in
            JSONReport.File(
                path: file.path, check: file.checkName, valid: file.isValid,
                instances: file.specs.map { spec in
                    JSONReport.Instance(id: spec.id.rawValue, index: spec.source.index, name: spec.options.instanceName,
                                        digest: spec.digest.hex, source: spec.source.description,
                                        interval_s: Double(spec.options.interval.components.seconds)
                                            + Double(spec.options.interval.components.attoseconds) / 1e18,
                                        loader: spec.options.loader, tags: spec.options.tags)
                },
                errors: file.errors.map(issue), warnings: file.warnings.map(issue))
        }
        let invalid = self.files.filter { !$0.isValid }.count
        let report = JSONReport(
            valid: isValid,
            summary: .init(files: self.files.count, valid: self.files.count - invalid, invalid: invalid, instances: instanceCount,
                           unusable_paths: problems.count),
            files: files, problems: problems.map(issue),
            skipped: skipped.map { .init(path: $0.path, reason: $0.reason) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
