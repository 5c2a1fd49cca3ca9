public import VigilYAML

/// The digest that names a check instance by its meaning: 16 lowercase hex digits.
///
/// Algorithm (version 1), stable across processes, machines and releases:
///
///     SHA-256( "vigil.instance.v1\n"
///              ‖ canonical(string check name)
///              ‖ SHA-256(canonical(init_config))
///              ‖ canonical(instance) )
///
/// truncated to its first 8 bytes. `canonical` is ``CanonicalEncoding``; an absent or null
/// `init_config` counts as an empty mapping (a Python check sees `{}` for both). The values are
/// taken after `%%env_…%%` substitution, so a changed environment value is a changed instance.
/// Each instance hashes only its own content and its file's init_config: editing one instance
/// never renames its siblings, unlike the Datadog Agent's whole-file digest.
public struct InstanceDigest: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public var description: String { hex }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.hex < rhs.hex }

    static let domain = Array("vigil.instance.v1\n".utf8)

    /// The digest of init_config's encoding, shared by every instance of one file.
    public static func initConfigHash(_ initConfig: ConfigValue) -> [UInt8] {
        SHA256.hash(CanonicalEncoding.encode(initConfig.isNull ? .mapping([]) : initConfig))
    }

    public static func compute(checkName: String, initConfigHash: [UInt8], instance: ConfigValue) -> InstanceDigest {
        var bytes = domain
        CanonicalEncoding.append(.string(checkName), to: &bytes)
        bytes.append(contentsOf: initConfigHash)
        CanonicalEncoding.append(instance, to: &bytes)
        let digest = SHA256.hash(bytes)
        return InstanceDigest(hex: hexString(digest.prefix(8)))
    }

    public static func compute(checkName: String, initConfig: ConfigValue, instance: ConfigValue) -> InstanceDigest {
        compute(checkName: checkName, initConfigHash: initConfigHash(initConfig), instance: instance)
    }

    static func hexString(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
