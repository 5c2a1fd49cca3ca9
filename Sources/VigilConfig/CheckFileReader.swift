import VigilYAML

/// Reads a config file from disk and decodes it, turning read failures (missing, unreadable,
/// too large) into errors of that file.
public struct CheckFileReader: Sendable {
    public var decoder: CheckFileDecoder

    public init(decoder: CheckFileDecoder) {
        self.decoder = decoder
    }

    public func read(_ entry: ConfigDiscovery.Entry) -> CheckFile {
        switch readBytes(entry.path) {
        case .success(let bytes):
            return decoder.decode(bytes, path: entry.path, checkName: entry.checkName)
        case .failure(let issue):
            return CheckFile(path: entry.path, checkName: entry.checkName, errors: [issue])
        }
    }

    /// The file's bytes, or the error to report for it.
    public func readBytes(_ path: String) -> Result<[UInt8], ConfigIssue> {
        switch FileSystem.read(path, maxBytes: decoder.limits.maxBytes) {
        case .success(let bytes):
            return .success(bytes)
        case .failure(.tooLarge(let size)):
            return .failure(ConfigIssue(path: path, mark: nil,
                                        message: "file is \(YAMLParser.describeSizeForMessages(size)), over the \(YAMLParser.describeSizeForMessages(decoder.limits.maxBytes)) limit"))
        case .failure(.system(let failure)):
            return .failure(ConfigIssue(path: path, mark: nil, message: "cannot read file: \(failure)"))
        }
    }
}
