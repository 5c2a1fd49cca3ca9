public import VigilYAML

/// One problem (or warning) found in a config file, with where it is.
public struct ConfigIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// Line and column; nil when the problem concerns the whole file (unreadable, too large).
    public var mark: Mark?
    public var message: String

    public init(path: String, mark: Mark?, message: String) {
        self.path = path
        self.mark = mark
        self.message = message
    }

    /// `path:line:column: message`, or `path: message` for a whole-file problem: the form
    /// compilers use, so editors and CI annotate the right line.
    public var description: String {
        guard let mark else { return "\(path): \(message)" }
        return "\(path):\(mark.line):\(mark.column): \(message)"
    }
}
