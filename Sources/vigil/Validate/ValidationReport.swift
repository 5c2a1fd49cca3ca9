import Foundation
import VigilConfig

/// What `vigil validate` found: every file read, what was skipped and why, and problems with
/// paths themselves (a bad check name, an unreadable directory).
struct ValidationReport {
    var files: [CheckFile] = []
    var skipped: [ConfigDiscovery.Skipped] = []
    var problems: [ConfigIssue] = []
    /// Instances that appear in more than one file, by ID: (path, index) of each occurrence.
    var crossFileDuplicates: [CheckID: [ConfigSource]] = [:]

    var isValid: Bool { problems.isEmpty && files.allSatisfy(\.isValid) }
    var instanceCount: Int { files.reduce(0) { $0 + $1.specs.count } }

    static func build(paths: [String], environment: [String: String]) -> ValidationReport {
        var report = ValidationReport()
        var entries: [ConfigDiscovery.Entry] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                let listing = ConfigDiscovery.isCheckDirectoryName(path)
                    ? ConfigDiscovery.discover(checkDirectory: path)
                    : ConfigDiscovery.discover(roots: [path])
                entries += listing.files
                report.skipped += listing.skipped
                report.problems += listing.problems
            } else {
                switch ConfigDiscovery.entry(forFile: path) {
                case .success(let entry): entries.append(entry)
                case .failure(let issue): report.problems.append(issue)
                }
            }
        }
        let reader = CheckFileReader(decoder: CheckFileDecoder(environment: environment))
        report.files = reader.readAll(entries)
        let named = Set(paths)
        for index in report.files.indices where named.contains(report.files[index].path) {
            guard let reason = ConfigDiscovery.reasonNotRead(fileNamed: report.files[index].path) else { continue }
            report.files[index].warnings.append(ConfigIssue(path: report.files[index].path, mark: nil,
                                                            message: "vigil run does not read a file of this name (\(reason))"))
        }

        var sources: [CheckID: [ConfigSource]] = [:]
        for file in report.files {
            for spec in file.specs { sources[spec.id, default: []].append(spec.source) }
        }
        report.crossFileDuplicates = sources.filter { entry in Set(entry.value.map(\.path)).count > 1 }
        return report
    }
}
