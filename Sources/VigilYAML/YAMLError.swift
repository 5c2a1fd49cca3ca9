/// Why a YAML document was rejected, and where.
///
/// ``Code`` wraps a private enum so that codes can be added without breaking callers; compare
/// against the static members (`error.code == .duplicateKey`).
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case syntax, invalidEncoding, duplicateKey, unknownTag, invalidValue
            case multipleDocuments, undefinedAlias, recursiveAlias, duplicateAnchor
            case unhashableKey, invalidMerge, fileTooLarge, tooManyNodes, tooDeep
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// Not well-formed YAML (libyaml's scanner or parser refused it).
        public static let syntax = Code(.syntax)
        /// Not UTF-8 (or UTF-16 with a BOM), or a character YAML forbids.
        public static let invalidEncoding = Code(.invalidEncoding)
        /// A mapping repeats a key. PyYAML keeps the last; Vigil refuses, like strict YAML.
        public static let duplicateKey = Code(.duplicateKey)
        /// A tag with no safe constructor (`!foo`, `!!python/tuple`).
        public static let unknownTag = Code(.unknownTag)
        /// A tagged scalar whose text the tag cannot take (`!!int abc`, a 13th month).
        public static let invalidValue = Code(.invalidValue)
        /// More than one document in the stream.
        public static let multipleDocuments = Code(.multipleDocuments)
        public static let undefinedAlias = Code(.undefinedAlias)
        /// An alias used inside the node its anchor names.
        public static let recursiveAlias = Code(.recursiveAlias)
        public static let duplicateAnchor = Code(.duplicateAnchor)
        /// A list or mapping used as a mapping key.
        public static let unhashableKey = Code(.unhashableKey)
        /// A `<<` merge whose value is not a mapping or a list of mappings.
        public static let invalidMerge = Code(.invalidMerge)
        /// The file is larger than ``YAMLLimits/maxBytes``.
        public static let fileTooLarge = Code(.fileTooLarge)
        /// The document, with aliases expanded, has more than ``YAMLLimits/maxNodes`` nodes.
        public static let tooManyNodes = Code(.tooManyNodes)
        /// Collections nest deeper than ``YAMLLimits/maxDepth``.
        public static let tooDeep = Code(.tooDeep)

        public var description: String { kind.rawValue }
    }

    public var code: Code
    public var message: String
    /// Where the problem is; nil when it concerns the whole file (its size).
    public var mark: Mark?

    public init(_ code: Code, _ message: String, at mark: Mark?) {
        self.code = code
        self.message = message
        self.mark = mark
    }

    /// `line:column: message`, or just the message for a whole-file problem.
    public var description: String {
        guard let mark else { return message }
        return "\(mark): \(message)"
    }
}
