import Foundation
import Testing
import TestSupport
@testable import Runtime
import VigilConfig

/// Exec checks with Debian's real monitoring-plugins-basic (installed by `make test`).
@Suite struct ExecCheckTests {
    static let plugins = "/usr/lib/nagios/plugins"
    static let havePlugins = FileManager.default.isExecutableFile(atPath: plugins + "/check_dummy")
    static let missing = "needs Debian's monitoring-plugins-basic: run `make test` (or `make setup`)"

    static func run(_ check: String, _ instance: String, environment: [String: String]? = nil) throws -> (RunSubmissions, CheckRunError?) {
        let spec = Specs.make(check, instance)
        let loaded = try ExecLoader(environment: environment).load(spec, context: LoadContext(hostname: "box"))
        let sender = Sender(policy: SenderPolicy(defaultHost: "box"))
        var failure: CheckRunError?
        do { try loaded.run(sender) } catch let error as CheckRunError { failure = error }
        return (sender.take(), failure)
    }

    @Test(.enabled(if: havePlugins, Comment(rawValue: missing)),
          arguments: [(0, ServiceCheckStatus.ok), (1, .warning), (2, .critical), (3, .unknown)])
    func exitStatusBecomesTheServiceCheck(_ code: Int, _ status: ServiceCheckStatus) throws {
        let (out, error) = try Self.run("dummy", "{command: [\(Self.plugins)/check_dummy, '\(code)', 'text \(code)']}")
        #expect(error == nil)
        #expect(out.serviceChecks.map(\.name) == ["dummy.status"])
        #expect(out.serviceChecks.first?.status == status)
        #expect(out.serviceChecks.first?.message.hasSuffix("text \(code)") == true)
    }

    /// A descriptor Vigil holds without close-on-exec (as libraries and the interpreter open
    /// them) never reaches a plugin: it sees stdin, stdout and stderr, and nothing else.
    @Test func pluginsInheritNoDescriptorsButTheStandardThree() throws {
        let leaky = open("/dev/null", O_RDONLY)  // no O_CLOEXEC, on purpose
        #expect(leaky > 2)
        defer { close(leaky) }
        let (out, _) = try Self.run("fds", "{command: [/usr/bin/python3, -c, \"import os; print('OK', ' '.join(sorted(os.listdir('/proc/self/fd'), key=int)))\"]}")
        let message = try #require(out.serviceChecks.first?.message)
        let fds = message.split(separator: " ").dropFirst().compactMap { Int($0) }
        #expect(!fds.contains(Int(leaky)), "the plugin saw \(fds)")
        // 0, 1, 2 and the directory listdir itself opened.
        #expect(fds.filter { $0 > 2 }.count <= 1, "the plugin saw \(fds)")
    }

    @Test func unknownExitStatusIsUnknown() throws {
        let (out, _) = try Self.run("sh", "{command: [/bin/sh, -c, 'echo weird; exit 5']}")
        #expect(out.serviceChecks.first?.status == .unknown)
        #expect(out.serviceChecks.first?.message == "exit status 5: weird")
    }

    @Test(.enabled(if: havePlugins, Comment(rawValue: missing)))
    func checkLoadPerfdataBecomesGauges() throws {
        let (out, error) = try Self.run("load_plugin", "{command: [\(Self.plugins)/check_load, -w, '100,100,100', -c, '200,200,200']}")
        #expect(error == nil)
        #expect(out.serviceChecks.first?.status == .ok)
        #expect(Set(out.metrics.map(\.name)).isSuperset(of: ["load_plugin.load1", "load_plugin.load5", "load_plugin.load15"]))
        let loadavg = try String(contentsOfFile: "/proc/loadavg", encoding: .utf8).split(separator: " ")
        let load15 = try #require(out.metrics.first { $0.name == "load_plugin.load15" }).value
        #expect(abs(load15 - Double(loadavg[2])!) < 0.5)
    }

    @Test(.enabled(if: havePlugins, Comment(rawValue: missing)))
    func checkDiskReportsBytes() throws {
        let (out, _) = try Self.run("disk_plugin", "{command: [\(Self.plugins)/check_disk, -w, '1%', -c, '1%', -p, /]}")
        let free = try #require(out.metrics.first { $0.name == "disk_plugin._" })
        var stats = statvfs()
        statvfs("/", &stats)
        let used = Double(stats.f_blocks - stats.f_bfree) * Double(stats.f_frsize)
        // check_disk reports used space in MB; converted to bytes it is within a few MB of statvfs.
        #expect(abs(free.value - used) < 64 * 1_048_576, "\(free.value) vs \(used)")
    }

    @Test(.enabled(if: havePlugins, Comment(rawValue: missing)))
    func checkTCPAgainstARealListener() throws {
        let listener = try TCPListener()
        let (out, _) = try Self.run("tcp_plugin", "{command: [\(Self.plugins)/check_tcp, -H, 127.0.0.1, -p, '\(listener.port)']}")
        #expect(out.serviceChecks.first?.status == .ok)
        #expect(out.metrics.contains { $0.name == "tcp_plugin.time" })
        let closed = try Self.run("tcp_plugin", "{command: [\(Self.plugins)/check_tcp, -H, 127.0.0.1, -p, '1']}")
        #expect(closed.0.serviceChecks.first?.status == .critical)
    }

    /// A hung plugin that started a child of its own: at the timeout the whole process group
    /// goes, and nothing is left behind.
    @Test func hungPluginIsKilledWithItsChildren() throws {
        let marker = "31\(Int.random(in: 100_000...999_999))"
        let started = Date()
        let (out, error) = try Self.run("hang", "{command: [/bin/sh, -c, 'sleep \(marker) & sleep \(marker)'], timeout: 1}")
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(error?.message.contains("timed out after 1 s") == true)
        #expect(out.serviceChecks.first?.status == .unknown)
        #expect(out.serviceChecks.first?.message == "timed out after 1 s")
        // SIGKILL is sent to the group before the run returns; on a loaded machine the killed
        // processes may take a moment to be scheduled and die.
        let deadline = Date().addingTimeInterval(3)
        while !Processes.matching(marker).isEmpty, Date() < deadline { usleep(20_000) }
        #expect(Processes.matching(marker).isEmpty, "left behind: \(Processes.matching(marker))")
    }

    @Test func outputIsCappedAndSaysSo() throws {
        let (out, _) = try Self.run("big", "{command: [/bin/sh, -c, 'head -c 200000 /dev/zero | tr \"\\\\0\" x; echo']}")
        #expect(out.serviceChecks.first?.message.hasSuffix("(output cut at 64 KiB)") == true)
        #expect(out.serviceChecks.first?.message.count ?? 0 < 70_000)
    }

    @Test func environmentIsPassedAndSystemdVariablesAreWithheld() throws {
        let (out, _) = try Self.run("envy", "{command: [/bin/sh, -c, 'echo \"OK $FOO ${NOTIFY_SOCKET:-none}|v=1\"'], env: {FOO: bar}}",
                                    environment: ["PATH": "/usr/bin:/bin", "NOTIFY_SOCKET": "/run/systemd/notify"])
        #expect(out.serviceChecks.first?.message == "OK bar none")
        #expect(out.metrics.first?.name == "envy.v")
    }

    @Test func loadErrorsSayWhy() throws {
        let context = LoadContext(hostname: "box")
        #expect(throws: LoadError.failed("`command` must be a list of words, not the string \"/bin/true\": Vigil runs no shell")) {
            _ = try ExecLoader().load(Specs.make("x", "{command: /bin/true}"), context: context)
        }
        #expect(throws: LoadError.failed("/nonexistent/plugin does not exist")) {
            _ = try ExecLoader().load(Specs.make("x", "{command: [/nonexistent/plugin]}"), context: context)
        }
        #expect(throws: LoadError.notFound("no `command` in the instance (exec checks run `command: [path, args…]`)")) {
            _ = try ExecLoader().load(Specs.make("x", "{a: 1}"), context: context)
        }
    }
}
