import Dispatch
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
    /// Per check: how many non-default files configure it (valid now, or with last good
    /// instances still running), and its default files. A new `conf.yaml` that has never been
    /// valid does not take over from a running `conf.yaml.default`.
    private var explicitCount: [String: Int] = [:]
    private var defaultPaths: [String: Set<String>] = [:]
    private(set) public var desired: [CheckID: CheckSpec] = [:]
    /// The file each desired instance comes from; when several files define the same instance,
    /// the others wait in `otherOwners` (rare: it runs once, from the first path).
    private var owner: [CheckID: String] = [:]
    private var otherOwners: [CheckID: [String]] = [:]
    private var problems: [String: ConfigIssue] = [:]
    private(set) public var missingRoots: [String: String] = [:]

    /// Counters for the pass that is running.
    private(set) var filesRead = 0
    private(set) var filesParsed = 0
    private var events: [ReconcileEvent] = []
    /// IDs that entered or left the desired set (or changed source) during the pass: all a
    /// pass needs to plan over.
    private(set) public var changedIDs: Set<CheckID> = []

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
                // A config-looking name the rules refuse (`my-check.yaml`): the listing says why.
                if trimmed.hasSuffix(".yaml") || trimmed.hasSuffix(".yml") || problems[trimmed] != nil {
                    let listing = ConfigDiscovery.discover(roots: [root])
                    if !listing.problems.contains(where: { $0.path == root }) { updateProblems(listing.problems, under: root) }
                }
            }
        }
        return endPass()
    }

    private func beginPass() {
        filesRead = 0
        filesParsed = 0
        events = []
        changedIDs = []
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
        updateProblems(listing.problems, under: root)
        let present = Set(listing.files.map(\.path))
        for path in records.keys where path.hasPrefix(root + "/") && !present.contains(path) { remove(path) }
        // Defaults suppressed by the listing are in `skipped`; re-reading them keeps the
        // default rule in one place (`applyDefaultRule`).
        var entries = listing.files
        for skip in listing.skipped where skip.reason.hasPrefix("default config not used") {
            if case .file(let entry) = ConfigDiscovery.classify(skip.path, root: root) { entries.append(entry) }
        }
        let loaded = readInParallel(entries)
        for (entry, result) in zip(entries, loaded) { refreshFile(entry, preloaded: result) }
    }

    /// A file read (and parsed, if its bytes changed) ahead of being applied.
    private enum Loaded: Sendable {
        case unchanged
        case parsed([UInt8], CheckFile)
        case failed(ConfigIssue)
        case missing
    }

    /// Reads and parses many files on every core; applying them stays sequential. A cold
    /// start of 10,000 files is mostly this.
    private func readInParallel(_ entries: [ConfigDiscovery.Entry]) -> [Loaded] {
        guard entries.count > 8 else { return entries.map { load($0, previous: records[$0.path]?.bytes) } }
        let previous = entries.map { records[$0.path]?.bytes }
        let results = UnsafeMutableBufferPointer<Loaded>.allocate(capacity: entries.count)
        results.initialize(repeating: .missing)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, entries.count))
        let reader = self.reader
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < entries.count {
                slots[index] = Self.load(entries[index], previous: previous[index], reader: reader)
                index += workers
            }
        }
        return Array(results)
    }

    private func load(_ entry: ConfigDiscovery.Entry, previous: [UInt8]?) -> Loaded {
        Self.load(entry, previous: previous, reader: reader)
    }

    private static func load(_ entry: ConfigDiscovery.Entry, previous: [UInt8]?, reader: CheckFileReader) -> Loaded {
        guard DirectoryListingKind.isFile(entry.path) else { return .missing }
        switch reader.readBytes(entry.path) {
        case .success(let bytes):
            if let previous, previous == bytes { return .unchanged }
            return .parsed(bytes, reader.decoder.decode(bytes, path: entry.path, checkName: entry.checkName))
        case .failure(let issue):
            return .failed(issue)
        }
    }

    private func refreshDirectory(_ directory: String) {
        let listing = DirectoryListingKind.isDirectory(directory) ? ConfigDiscovery.discover(checkDirectory: directory) : .init()
        let present = Set(listing.files.map(\.path) + listing.skipped.filter { $0.reason.hasPrefix("default config") }.map(\.path))
        for path in records.keys where path.hasPrefix(directory + "/") && !present.contains(path) { remove(path) }
        updateProblems(listing.problems, under: directory)
        for entry in listing.files { refreshFile(entry) }
        for path in present where !listing.files.contains(where: { $0.path == path }) {
            if let root = roots.first(where: { path.hasPrefix($0 + "/") }), case .file(let entry) = ConfigDiscovery.classify(path, root: root) {
                refreshFile(entry)
            }
        }
    }

    /// Replaces the listing problems under `prefix` (names the rules refuse, unreadable
    /// directories); a new or changed one is reported like an invalid file.
    private func updateProblems(_ found: [ConfigIssue], under prefix: String) {
        var fresh: [String: ConfigIssue] = [:]
        for problem in found { fresh[problem.path] = problem }
        for key in problems.keys where (key == prefix || key.hasPrefix(prefix + "/")) && fresh[key] == nil { problems[key] = nil }
        for (path, problem) in fresh.sorted(by: { $0.key < $1.key }) {
            if problems[path] != problem { events.append(.fileInvalid(path: path, errors: [problem], keptInstances: 0)) }
            problems[path] = problem
        }
    }

    private func refreshFile(_ entry: ConfigDiscovery.Entry, preloaded: Loaded? = nil) {
        let loaded = preloaded ?? load(entry, previous: records[entry.path]?.bytes)
        let bytes: [UInt8]?
        let file: CheckFile
        switch loaded {
        case .missing:
            remove(entry.path)
            return
        case .unchanged:
            filesRead += 1
            return
        case .parsed(let read, let decoded):
            filesRead += 1
            filesParsed += 1
            bytes = read
            file = decoded
        case .failed(let issue):
            filesRead += 1
            bytes = nil
            file = CheckFile(path: entry.path, checkName: entry.checkName, errors: [issue])
        }
        let wasValid = records[entry.path]?.file.isValid
        let wasConfiguring = records[entry.path].map(Self.configures) ?? false
        if records[entry.path] == nil, entry.isDefault { defaultPaths[entry.checkName, default: []].insert(entry.path) }
        var record = records[entry.path] ?? Record(entry: entry, file: file)
        record.entry = entry
        record.bytes = bytes
        record.file = file
        if file.isValid { record.lastGood = file.specs }
        records[entry.path] = record
        let isConfiguring = Self.configures(record)
        if isConfiguring != wasConfiguring { explicitCount[entry.checkName, default: 0] += isConfiguring ? 1 : -1 }

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
        if record.entry.isDefault {
            defaultPaths[record.entry.checkName]?.remove(path)
        } else if Self.configures(record) {
            explicitCount[record.entry.checkName, default: 1] -= 1
        }
        applyDefaultRule(record.entry.checkName)
    }

    /// A non-default file that configures its check: valid, or invalid with its last good
    /// instances kept.
    private static func configures(_ record: Record) -> Bool {
        !record.entry.isDefault && (record.file.isValid || record.lastGood != nil)
    }

    /// A `.default` file counts only while no other file configures its check.
    private func applyDefaultRule(_ check: String) {
        guard let paths = defaultPaths[check], !paths.isEmpty else { return }
        let hasExplicit = (explicitCount[check] ?? 0) > 0
        for path in paths {
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
            for spec in specs where owner[spec.id] == path && desired[spec.id]?.source != spec.source {
                desired[spec.id] = spec
                changedIDs.insert(spec.id)
            }
            return
        }
        let newSet = Set(newIDs)
        for id in record.contributed where !newSet.contains(id) {
            changedIDs.insert(id)
            if owner[id] == path {
                if var others = otherOwners[id], !others.isEmpty {
                    let next = others.removeFirst()
                    otherOwners[id] = others.isEmpty ? nil : others
                    owner[id] = next
                    desired[id] = records[next].flatMap { effectiveSpecs($0).first { $0.id == id } }
                } else {
                    owner[id] = nil
                    desired[id] = nil
                }
            } else {
                otherOwners[id]?.removeAll { $0 == path }
                if otherOwners[id]?.isEmpty == true { otherOwners[id] = nil }
            }
        }
        let oldSet = Set(record.contributed)
        for spec in specs {
            changedIDs.insert(spec.id)
            if let current = owner[spec.id], current != path {
                guard !oldSet.contains(spec.id) else { continue }
                // Another file has it too: the first path (in path order) is the source.
                if path < current {
                    otherOwners[spec.id, default: []].append(current)
                    owner[spec.id] = path
                    desired[spec.id] = spec
                } else {
                    otherOwners[spec.id, default: []].append(path)
                }
                otherOwners[spec.id]?.sort()
            } else {
                owner[spec.id] = path
                desired[spec.id] = spec
            }
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
