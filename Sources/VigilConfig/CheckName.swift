/// Check names: what a `<check>.d/` directory or `<check>.yaml` file names, and what loaders
/// look up (a Python module, a native check). Restricted to `[A-Za-z0-9_]+` so a name is always
/// a valid module name and never needs quoting in IDs, journal fields or metric labels.
public enum CheckName {
    /// nil when valid, else why not.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "the check name is empty" }
        let valid = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
        return valid ? nil : "check name '\(name)' may contain only letters, digits and underscores ([A-Za-z0-9_]+)"
    }
}
