import Daemon
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Conf dirs that can never see an update: kubelet's subPath bind mounts and static read-only
/// mounts, found in the mount table; proven on mountinfo text and on real bind mounts.
@Suite(.serialized) struct ConfDirAdvisorTests {
    static let mountinfo = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
        600 27 0:77 / /etc/vigil/conf.d ro,relatime - tmpfs tmpfs ro,size=1024k
        601 27 0:78 /..2026_11_27_04_01_02.123456789/redis.yaml /etc/other/conf.d/redis.yaml ro,relatime - tmpfs tmpfs ro
        602 27 0:79 / /srv/baked\\040conf ro,relatime shared:5 - ext4 /dev/sdb1 ro
        """

    @Test func mountinfoIsParsedWithEscapesAndOptionalFields() {
        let table = MountTable(mountinfo: Self.mountinfo)
        #expect(table.mounts.count == 5)
        #expect(table.mounts[4].mountPoint == "/srv/baked conf")
        #expect(table.mounts[4].readOnly && table.mounts[4].fileSystemType == "ext4")
        #expect(table.mount(containing: "/etc/vigil/conf.d/redis.d/conf.yaml")?.mountPoint == "/etc/vigil/conf.d")
        #expect(table.mount(containing: "/etc/vigilant")?.mountPoint == "/")
    }

    @Test func aSubPathMountIsNamedWithWhatItShows() {
        let warnings = ConfDirAdvisor.warnings(confDir: "/etc/other/conf.d", mounts: MountTable(mountinfo: Self.mountinfo)) { _ in false }
        #expect(warnings.map(\.path) == ["/etc/other/conf.d/redis.yaml"])
        #expect(warnings.first?.message.contains("subPath") == true)
        #expect(warnings.first?.message.contains("..2026_11_27_04_01_02.123456789/redis.yaml") == true)
    }

    @Test func aReadOnlyDirectoryIsFineWhenItIsAConfigMapAndStaticOtherwise() {
        let table = MountTable(mountinfo: Self.mountinfo)
        #expect(ConfDirAdvisor.warnings(confDir: "/etc/vigil/conf.d", mounts: table) { _ in true }.isEmpty, "a ConfigMap volume updates")
        let static_ = ConfDirAdvisor.warnings(confDir: "/srv/baked conf", mounts: table) { _ in false }
        #expect(static_.first?.message.contains("read-only ext4 mount and is not a ConfigMap-style directory") == true)
        #expect(ConfDirAdvisor.warnings(confDir: "/home/me/conf.d", mounts: table) { _ in false }.isEmpty, "read-write: nothing to say")
    }

    /// kubelet's subPath, done the way kubelet does it: a bind mount of one file of the
    /// volume's current `..<timestamp>` directory over a file in the conf dir.
    @Test(.enabled(if: getuid() == 0, "needs root to bind-mount"))
    func theDaemonWarnsAboutARealSubPathBindMount() async throws {
        let volume = try TemporaryDirectory("vigil-volume")
        let versioned = try volume.write("..2026_11_27_04_01_02.123456789/uptime.yaml", "instances:\n  - {}\n")
        let daemon = try await DaemonProcess.start { dir in
            let target = try dir.write("conf.d/uptime.yaml", "")
            let mount = try runProcess("/bin/mount", ["--bind", versioned, target])
            guard mount.status == 0 else { throw HTTPClient.Failure(description: "mount: \(mount.stderr)") }
        }
        defer { _ = try? runProcess("/bin/umount", [daemon.confDir + "/uptime.yaml"]) }
        let status = try daemon.status()
        let warnings = try #require(status["config_dir_warnings"] as? [[String: Any]])
        #expect(warnings.map { $0["path"] as? String } == [daemon.confDir + "/uptime.yaml"])
        #expect(daemon.logLines.contains { $0.contains("config directory will not update") && $0.contains("subPath") })
        // The mounted file still runs: a warning, not an error.
        _ = try await daemon.waitFor { ($0["checks"] as? [[String: Any]])?.count == 1 }
        _ = await daemon.terminate()
    }

    @Test(.enabled(if: getuid() == 0, "needs root to bind-mount"))
    func anOrdinaryConfDirHasNoWarning() async throws {
        let daemon = try await DaemonProcess.start()
        #expect((try daemon.status()["config_dir_warnings"] as? [[String: Any]])?.isEmpty == true)
        _ = await daemon.terminate()
    }
}
