/// Conf dirs that will never see an update, found from the mount table: what an operator
/// would otherwise discover only when an edited ConfigMap never arrives.
///
/// - A `subPath` mount: kubelet bind-mounts one entry of the volume's current `..<timestamp>`
///   directory at the path (the mount's root shows it). The ConfigMap's later versions go to
///   new timestamp directories; the bind mount keeps showing the old one forever.
/// - A read-only mount that is not a ConfigMap-style directory (no `..data`): nothing on it
///   can change while Vigil runs.
public enum ConfDirAdvisor {
    public struct Warning: Sendable, Equatable {
        public var confDir: String
        public var path: String
        public var message: String
    }

    /// - Parameters:
    ///   - hasDataLink: whether a directory has a Kubernetes `..data` entry.
    public static func warnings(confDir: String, mounts: MountTable, hasDataLink: (String) -> Bool) -> [Warning] {
        var warnings: [Warning] = []
        for mount in mounts.mounts(atOrUnder: confDir) where looksLikeSubPath(mount.root) {
            warnings.append(Warning(
                confDir: confDir, path: mount.mountPoint,
                message: "\(mount.mountPoint) is a subPath mount of a ConfigMap or Secret (\(mount.root)): "
                    + "it never receives updates; mount the volume as a directory instead"))
        }
        if warnings.isEmpty, let mount = mounts.mount(containing: confDir), mount.readOnly, !hasDataLink(confDir) {
            warnings.append(Warning(
                confDir: confDir, path: confDir,
                message: "\(confDir) is on a read-only \(mount.fileSystemType) mount and is not a ConfigMap-style "
                    + "directory (no ..data): its files will not change while Vigil runs"))
        }
        return warnings
    }

    /// kubelet's atomic writer puts each version of a volume in `..<timestamp>` (e.g.
    /// `..2026_11_27_04_01_02.123456789`); a mount whose root is inside one is a subPath.
    static func looksLikeSubPath(_ root: String) -> Bool {
        root.split(separator: "/").contains { component in
            component.hasPrefix("..") && component.dropFirst(2).first?.isNumber == true
        }
    }
}
