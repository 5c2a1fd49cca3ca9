/// The outcome of reading one config file: its instances when it is valid, every error when it
/// is not. A file is all or nothing: one bad instance makes the whole file invalid, so a
/// half-applied file never happens.
public struct CheckFile: Sendable {
    public var path: String
    public var checkName: String
    /// The instances, in file order. Empty when ``errors`` is not.
    public var specs: [CheckSpec]
    public var errors: [ConfigIssue]
    /// Things worth knowing that do not stop the file (an instance repeated verbatim).
    public var warnings: [ConfigIssue]

    public var isValid: Bool { errors.isEmpty }

    public init(path: String, checkName: String, specs: [CheckSpec] = [], errors: [ConfigIssue] = [], warnings: [ConfigIssue] = []) {
        self.path = path
        self.checkName = checkName
        self.specs = specs
        self.errors = errors
        self.warnings = warnings
    }
}
