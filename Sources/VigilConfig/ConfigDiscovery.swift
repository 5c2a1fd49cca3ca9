/// Finds check config files the way the Datadog Agent does (COMPAT-DATADOG.md §1):
/// `<root>/<check>.d/*.yaml|*.yml` and `<root>/<check>.yaml|.yml`, one level deep, with
/// `*.yaml.default` used only for a check that has no other file. Symlinks are followed; a
/// dangling one is absent. Names starting with `.` (ConfigMap `..data` and `..<timestamp>`
/// entries, editor swap files), ending in `~`, and vim's `4913` probe are never read, and
/// neither are `.example` files. `auto_conf.yaml` (autodiscovery templates) and `metrics.yaml`
/// (JMX metric lists) are skipped, with the reason recorded: Vigil has neither.
public enum ConfigDiscovery {
    /// A config file to read.
    public struct Entry: Sendable, Hashable {
        public var path: String
        public var checkName: String
        public var isDefault: Bool
    }

    /// A file seen and deliberately not read.
    public struct Skipped: Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public struct Listing: Sendable {
        /// In a stable order: roots in the order given, then by name.
        public var files: [Entry] = []
        public var skipped: [Skipped] = []
        /// Paths that could not be used: a bad check name, an unreadable directory.
        public var problems: [ConfigIssue] = []

        public init() {}
    }

    public static func discover(roots: [String]) -> Listing {
        var listing = Listing()
        for root in roots {
            scanRoot(root, into: &listing)
        }
        applyDefaultRule(&listing)
        return listing
    }

    /// What a path under `root` is to discovery, decided from its name alone (the file may be
    /// gone): a config file of some check, a `<check>.d` directory, or nothing of interest.
    public enum PathKind: Sendable, Equatable {
        case file(Entry)
        case checkDirectory(checkName: String)
        case irrelevant
    }

    public static func classify(_ path: String, root: String) -> PathKind {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        guard path.hasPrefix(base + "/") else { return .irrelevant }
        let parts = path.dropFirst(base.count + 1).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: { $0.isEmpty || isIgnoredName($0) }) else { return .irrelevant }
        switch parts.count {
        case 1:
            let name = parts[0]
            if name.hasSuffix(".d"), name.count > 2 {
                let check = String(name.dropLast(2))
                return CheckName.problem(with: check) == nil ? .checkDirectory(checkName: check) : .irrelevant
            }
            guard let (stem, isDefault) = configStem(name), CheckName.problem(with: stem) == nil else { return .irrelevant }
            return .file(Entry(path: path, checkName: stem, isDefault: isDefault))
        case 2:
            let directory = parts[0], name = parts[1]
            guard directory.hasSuffix(".d"), directory.count > 2, let (_, isDefault) = configStem(name) else { return .irrelevant }
            let check = String(directory.dropLast(2))
            guard CheckName.problem(with: check) == nil, !["auto_conf.yaml", "auto_conf.yml", "metrics.yaml", "metrics.yml"].contains(name) else {
                return .irrelevant
            }
            return .file(Entry(path: path, checkName: check, isDefault: isDefault))
        default:
            return .irrelevant
        }
    }

    /// The files of one `<check>.d` directory named directly (`vigil validate conf.d/redisdb.d`),
    /// with the same rules as inside a root.
    public static func discover(checkDirectory path: String) -> Listing {
        var listing = Listing()
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        let base = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        scanCheckDirectory(trimmed, checkName: String(base.dropLast(2)), into: &listing)
        applyDefaultRule(&listing)
        return listing
    }

    /// Whether a directory named on the command line is a `<check>.d` rather than a conf.d
    /// root: it ends in `.d` and is not itself called `conf.d`.
    public static func isCheckDirectoryName(_ path: String) -> Bool {
        let base = (path.hasSuffix("/") ? String(path.dropLast()) : path).split(separator: "/").last.map(String.init) ?? ""
        return base.hasSuffix(".d") && base.count > 2 && base != "conf.d"
    }

    /// The entry for a file named directly (e.g. on `vigil validate`'s command line): the check
    /// is its `<check>.d` directory's name, else the file name up to its first dot, so that
    /// `redisdb.d/conf.yaml`, `http_check.yaml` and `apache.conf.yaml.example` all work — and
    /// `conf.d/redis.yaml` is check `redis`, not `conf`.
    public static func entry(forFile path: String) -> Result<Entry, ConfigIssue> {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        let fileName = String(components.last ?? "")
        let parent = components.count > 1 ? String(components[components.count - 2]) : ""
        let name: String
        if isCheckDirectoryName(parent) {
            name = String(parent.dropLast(2))
        } else {
            name = String(fileName.prefix { $0 != "." })
        }
        if let problem = CheckName.problem(with: name) {
            return .failure(ConfigIssue(path: path, mark: nil, message: problem))
        }
        return .success(Entry(path: path, checkName: name, isDefault: fileName.hasSuffix(".default")))
    }

    /// Why `vigil run` would not read a file of this name inside a conf.d, or nil when it
    /// would: a file named directly (to validate an `.example` before renaming it, say) is
    /// read anyway, and this says what running it would do.
    public static func reasonNotRead(fileNamed path: String) -> String? {
        let name = String(path.split(separator: "/").last ?? "")
        if name.hasPrefix(".") { return "names starting with '.' are ignored (swap files, ConfigMap internals)" }
        if name.hasSuffix("~") { return "names ending in '~' are ignored (editor backups)" }
        if name == "4913" { return "vim's write probe is ignored" }
        guard configStem(name) != nil else { return "only *.yaml, *.yml and *.yaml.default/*.yml.default files are read" }
        if ["auto_conf.yaml", "auto_conf.yml"].contains(name) { return "autodiscovery template; Vigil has no autodiscovery" }
        if ["metrics.yaml", "metrics.yml"].contains(name) { return "JMX metric list; Vigil does not run JMX checks" }
        return nil
    }

    // MARK: - Rules

    static func isIgnoredName(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name == "4913"
    }

    /// The check-name stem of a config file name, or nil if it is not one.
    static func configStem(_ name: String) -> (stem: String, isDefault: Bool)? {
        for suffix in [".yaml", ".yml"] {
            if name.hasSuffix(suffix), name.count > suffix.count {
                return (String(name.dropLast(suffix.count)), false)
            }
            let defaultSuffix = suffix + ".default"
            if name.hasSuffix(defaultSuffix), name.count > defaultSuffix.count {
                return (String(name.dropLast(defaultSuffix.count)), true)
            }
        }
        return nil
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func scanRoot(_ root: String, into listing: inout Listing) {
        guard let names = list(root, what: "config directory", into: &listing) else { return }
        for name in names where !isIgnoredName(name) {
            let path = join(root, name)
            switch FileSystem.kind(of: path) {
            case .directory:
                guard name.hasSuffix(".d"), name.count > 2 else { continue }
                scanCheckDirectory(path, checkName: String(name.dropLast(2)), into: &listing)
            case .file:
                guard let (stem, isDefault) = configStem(name) else { continue }
                add(path: path, checkName: stem, isDefault: isDefault, into: &listing)
            case .missing:
                if FileSystem.isSymlink(path) {
                    listing.skipped.append(Skipped(path: path, reason: "dangling symlink, treated as absent"))
                }
            case .other:
                continue
            }
        }
    }

    private static func scanCheckDirectory(_ directory: String, checkName: String, into listing: inout Listing) {
        if let problem = CheckName.problem(with: checkName) {
            listing.problems.append(ConfigIssue(path: directory, mark: nil, message: problem))
            return
        }
        guard let names = list(directory, what: "check directory", into: &listing) else { return }
        for name in names where !isIgnoredName(name) {
            guard let (_, isDefault) = configStem(name) else { continue }
            let path = join(directory, name)
            switch FileSystem.kind(of: path) {
            case .file:
                if name == "auto_conf.yaml" || name == "auto_conf.yml" {
                    listing.skipped.append(Skipped(path: path, reason: "autodiscovery template; Vigil has no autodiscovery"))
                } else if name == "metrics.yaml" || name == "metrics.yml" {
                    listing.skipped.append(Skipped(path: path, reason: "JMX metric list; Vigil does not run JMX checks"))
                } else {
                    listing.files.append(Entry(path: path, checkName: checkName, isDefault: isDefault))
                }
            case .missing:
                if FileSystem.isSymlink(path) {
                    listing.skipped.append(Skipped(path: path, reason: "dangling symlink, treated as absent"))
                }
            case .directory, .other:
                continue
            }
        }
    }

    /// The directory's entries, or nil with the reason recorded as a problem of that path.
    private static func list(_ directory: String, what: String, into listing: inout Listing) -> [String]? {
        switch FileSystem.list(directory) {
        case .success(let names):
            return names
        case .failure(let failure):
            listing.problems.append(ConfigIssue(path: directory, mark: nil, message: "cannot read \(what): \(failure)"))
            return nil
        }
    }

    private static func add(path: String, checkName: String, isDefault: Bool, into listing: inout Listing) {
        if let problem = CheckName.problem(with: checkName) {
            listing.problems.append(ConfigIssue(path: path, mark: nil, message: problem))
            return
        }
        listing.files.append(Entry(path: path, checkName: checkName, isDefault: isDefault))
    }

    /// A `.default` file counts only when its check has no other file, across all roots.
    private static func applyDefaultRule(_ listing: inout Listing) {
        var explicit: [String: String] = [:]
        for file in listing.files where !file.isDefault && explicit[file.checkName] == nil {
            explicit[file.checkName] = file.path
        }
        listing.files.removeAll { file in
            guard file.isDefault, let other = explicit[file.checkName] else { return false }
            listing.skipped.append(Skipped(path: file.path, reason: "default config not used: \(other) configures \(file.checkName)"))
            return true
        }
    }
}
