import Foundation
public import VigilConfig

/// The config files under the roots, as last read: per file its bytes, its latest decode and
/// its last valid version; and from them the desired instances, maintained incrementally so
/// that one edit among thousands of files costs one file's work.
///
/// Rules (WATCHING.md §6): a file that turns invalid keeps its last valid instances (degraded);
/// an empty file is invalid, not "no instances"; only a file that is gone takes its instances
/// away; a root that cannot be read keeps everything that came from it.
public final class ConfigTree {
    private struct Record {
        var entry: ConfigDiscovery.Entry
        var bytes: [UInt8]?
        var file: CheckFile
        var lastGood: [CheckSpec]?
        var contributed: [CheckID] = []
        var suppressed = false
    }

    public let roots: [String]
    private let reader: CheckFileReader
    private var records: [String: Record] = [:]
    private var pathsByCheck: [String: Set<String>] = [:]
    private(set) public var desired: [CheckID: CheckSpec] = [:]
    private var owners: [CheckID: [String]] = [:]
    private var problems: [String: ConfigIssue] = [:]
    private(set) public var missingRoots: [String: String] = [:]

    /// Counters for the pass that is running.
    private(set) var filesRead = 0
    private(set) var filesParsed = 0
    private var events: [ReconcileEvent] = []

    public init(roots: [String], reader: CheckFileReader) {
        self.roots = roots.map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.reader = reader
    }

    // MARK: - Refreshing

    /// Re-lists every root and re-reads every file (unchanged bytes are not parsed again).
    public func refreshAll() -> [ReconcileEvent] {
        beginPass()
        for root in roots { refreshRoot(root) }
        return endPass()
    }

    /// Re-reads what the given paths may have changed: a file, a `<check>.d` directory, or a
    /// whole root.
    public func refresh(paths: Set<String>) -> [ReconcileEvent] {
        beginPass()
        for path in paths.sorted() {
            let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            if roots.contains(trimmed) {
                refreshRoot(trimmed)
                continue
            }
            guard let root = roots.filter({ trimmed.hasPrefix($0 + "/") }).max(by: { $0.count < $1.count }) else { continue }
            if missingRoots[root] != nil {
                refreshRoot(root)
                continue
            }
            switch ConfigDiscovery.classify(trimmed, root: root) {
            case .file(let entry):
                refreshFile(entry)
            case .checkDirectory:
                refreshDirectory(trimmed)
            case .irrelevant:
                // A path that once held files (a directory renamed away): drop what was under it.
                if records.keys.contains(where: { $0.hasPrefix(trimmed + "/") }) { refreshDirectory(trimmed) }
            }
        }
        return endPass()
    }

    private func beginPass() {
        filesRead = 0
        filesParsed = 0
        events = []
    }

    private func endPass() -> [ReconcileEvent] {
        defer { events = [] }
        return events
    }

    private func refreshRoot(_ root: String) {
        let listing = ConfigDiscovery.discover(roots: [root])
        let unreadable = listing.problems.first { $0.path == root }
        if let unreadable {
            if missingRoots[root] == nil {
                missingRoots[root] = unreadable.message
                events.append(.configDirectoryMissing(path: root, reason: unreadable.message))
            }
            return  // keep everything that came from it
        }
        if missingRoots.removeValue(forKey: root) != nil { events.append(.configDirectoryBack(path: root)) }
        for key in problems.keys where key == root || key.hasPrefix(root + "/") { problems[key] = nil }
        for problem in listing.problems { problems[problem.path] = problem }
        let present = Set(listing.files.map(\.path))
        for path in records.keys where path.hasPrefix(root + "/") && !present.contains(path) { remove(path) }
        // Defaults suppressed by the listing are in `skipped`; re-reading them keeps the
        // default rule in one place (`applyDefaultRule`).
        for entry in listing.files { refreshFile(entry) }
        for skip in listing.skipped where skip.reason.hasPrefix("default config not used") {
            if case .file(let entry) = ConfigDiscovery.classify(skip.path, root: root) { refreshFile(entry) }
        }
    }

    private func refreshDirectory(_ directory: String) {
        let listing = DirectoryListingKind.isDirectory(directory) ? ConfigDiscovery.discover(checkDirectory: directory) : .init()
        let present = Set(listing.files.map(\.path) + listing.skipped.filter { $0.reason.hasPrefix("default config") }.map(\.path))
        for path in records.keys where path.hasPrefix(directory + "/") && !present.contains(path) { remove(path) }
        for problem in listing.problems { problems[problem.path] = problem }
        for entry in listing.files { refreshFile(entry) }
        for path in present where !listing.files.contains(where: { $0.path == path }) {
            if let root = roots.first(where: { path.hasPrefix($0 + "/") }), case .file(let entry) = ConfigDiscovery.classify(path, root: root) {
                refreshFile(entry)
            }
        }
    }

    private func refreshFile(_ entry: ConfigDiscovery.Entry) {
        guard DirectoryListingKind.isFile(entry.path) else {
            remove(entry.path)
            return
        }
        filesRead += 1
        let bytes: [UInt8]?
        let file: CheckFile
        switch reader.readBytes(entry.path) {
        case .success(let read):
            if let existing = records[entry.path], existing.bytes == read { return }
            bytes = read
            file = reader.decoder.decode(read, path: entry.path, checkName: entry.checkName)
            filesParsed += 1
        case .failure(let issue):
            bytes = nil
            file = CheckFile(path: entry.path, checkName: entry.checkName, errors: [issue])
        }
        let wasValid = records[entry.path]?.file.isValid
        var record = records[entry.path] ?? Record(entry: entry, file: file)
        record.entry = entry
        record.bytes = bytes
        record.file = file
        if file.isValid { record.lastGood = file.specs }
        records[entry.path] = record
        pathsByCheck[entry.checkName, default: []].insert(entry.path)

        if !file.isValid, wasValid != false {
            events.append(.fileInvalid(path: entry.path, errors: file.errors, keptInstances: record.lastGood?.count ?? 0))
        } else if file.isValid, wasValid == false {
            events.append(.fileRecovered(path: entry.path))
        } else if !file.isValid, wasValid == false, records[entry.path]?.file.errors != file.errors {
            events.append(.fileInvalid(path: entry.path, errors: file.errors, keptInstances: record.lastGood?.count ?? 0))
        }
        applyDefaultRule(entry.checkName)
        updateContribution(entry.path)
    }

    private func remove(_ path: String) {
        guard let record = records[path] else { return }
        records[path]!.suppressed = true
        records[path]!.lastGood = nil
        records[path]!.file = CheckFile(path: path, checkName: record.entry.checkName)
        updateContribution(path)
        records[path] = nil
        pathsByCheck[record.entry.checkName]?.remove(path)
        applyDefaultRule(record.entry.checkName)
    }

    /// A `.default` file counts only while no other file configures its check.
    private func applyDefaultRule(_ check: String) {
        let paths = pathsByCheck[check] ?? []
        let hasExplicit = paths.contains { records[$0]?.entry.isDefault == false }
        for path in paths where records[path]?.entry.isDefault == true {
            if records[path]!.suppressed != hasExplicit {
                records[path]!.suppressed = hasExplicit
                updateContribution(path)
            }
        }
    }

    // MARK: - Desired instances

    private func effectiveSpecs(_ record: Record) -> [CheckSpec] {
        if record.suppressed { return [] }
        return record.file.isValid ? record.file.specs : (record.lastGood ?? [])
    }

    private func updateContribution(_ path: String) {
        guard let record = records[path] else { return }
        let specs = effectiveSpecs(record)
        let newIDs = specs.map(\.id)
        guard newIDs != record.contributed else {
            // Same IDs; the specs may still differ in source index after a reorder.
            for spec in specs where owners[spec.id]?.first == path { desired[spec.id] = spec }
            return
        }
        let newSet = Set(newIDs)
        for id in record.contributed where !newSet.contains(id) {
            owners[id]?.removeAll { $0 == path }
            if let next = owners[id]?.first, let spec = records[next].flatMap({ effectiveSpecs($0).first { $0.id == id } }) {
                desired[id] = spec
            } else {
                owners[id] = nil
                desired[id] = nil
            }
        }
        for spec in specs {
            var list = owners[spec.id] ?? []
            if !list.contains(path) {
                list.append(path)
                list.sort()
                owners[spec.id] = list
            }
            if list.first == path { desired[spec.id] = spec }
        }
        records[path]!.contributed = newIDs
    }

    // MARK: - Status

    public var fileStatuses: [ConfigFileStatus] {
        let files = records.values.sorted { $0.entry.path < $1.entry.path }.map { record -> ConfigFileStatus in
            let state: ConfigFileStatus.State = record.file.isValid ? .ok : (record.lastGood != nil ? .degraded : .invalid)
            var warnings = record.file.warnings
            if record.suppressed {
                warnings.append(ConfigIssue(path: record.entry.path, mark: nil,
                                            message: "default config not used: another file configures \(record.entry.checkName)"))
            }
            return ConfigFileStatus(path: record.entry.path, checkName: record.entry.checkName, state: state,
                                    errors: record.file.errors, warnings: warnings, instances: record.contributed)
        }
        let broken = problems.values.sorted { $0.path < $1.path }.map { problem in
            ConfigFileStatus(path: problem.path, checkName: "", state: .invalid, errors: [problem], warnings: [], instances: [])
        }
        return files + broken
    }

    public var fileCount: Int { records.count }
}

/// File kinds by stat, following symlinks (a ConfigMap key is a link into `..data/`).
enum DirectoryListingKind {
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
