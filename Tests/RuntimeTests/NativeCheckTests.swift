import Foundation
import Testing
@testable import Runtime
import VigilConfig

/// The native checks against the machine's own /proc and file systems.
@Suite struct NativeCheckTests {
    static func run(_ check: String, _ instance: String = "{}") throws -> RunSubmissions {
        let loaded = try NativeLoader().load(Specs.make(check, instance), context: LoadContext(hostname: "box"))
        let sender = Sender(policy: SenderPolicy(defaultHost: "box"))
        try loaded.run(sender)
        return sender.take()
    }

    static func values(_ out: RunSubmissions) -> [String: Double] {
        Dictionary(out.metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func uptime() throws {
        let uptime = try #require(Self.values(try Self.run("uptime"))["system.uptime"])
        let actual = Double(try String(contentsOfFile: "/proc/uptime", encoding: .utf8).split(separator: " ")[0])!
        #expect(abs(uptime - actual) < 5)
    }

    @Test func load() throws {
        let values = Self.values(try Self.run("load"))
        let cpus = Double(ProcessInfo.processInfo.activeProcessorCount)
        #expect(Set(values.keys) == ["system.load.1", "system.load.5", "system.load.15",
                                     "system.load.norm.1", "system.load.norm.5", "system.load.norm.15"])
        #expect(abs(values["system.load.norm.15"]! - values["system.load.15"]! / cpus) < 1e-9)
    }

    @Test func memoryInMebibytes() throws {
        let values = Self.values(try Self.run("memory"))
        let total = Double(ProcessInfo.processInfo.physicalMemory) / 1_048_576
        #expect(abs(values["system.mem.total"]! - total) / total < 0.01)
        #expect(values["system.mem.used"]! + values["system.mem.free"]! == values["system.mem.total"]!)
        #expect((0...1).contains(values["system.mem.pct_usable"]!))
        for name in ["system.mem.usable", "system.mem.cached", "system.mem.buffered", "system.swap.total", "system.swap.free"] {
            #expect(values[name] != nil, "\(name)")
        }
    }

    @Test func diskReportsTheRootFileSystemInKilobytes() throws {
        let out = try Self.run("disk")
        var stats = statvfs()
        statvfs("/", &stats)
        let totalKB = Double(stats.f_blocks) * Double(stats.f_frsize) / 1024
        let totals = out.metrics.filter { $0.name == "system.disk.total" }
        #expect(totals.contains { abs($0.value - totalKB) < 1 }, "\(totals.map(\.value)) vs \(totalKB)")
        #expect(totals.allSatisfy { $0.tags.contains { $0.hasPrefix("device:") } && $0.tags.contains { $0.hasPrefix("device_name:") } })
        // Pseudo file systems (proc, sysfs: total size 0) never appear.
        #expect(!out.metrics.contains { $0.tags.contains("device:proc") })
    }

    @Test func diskFiltersByFileSystem() throws {
        let only = try Self.run("disk", "{file_system_include: [tmpfs]}")
        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
        let tmpfsCount = mounts.split(separator: "\n").filter { $0.split(separator: " ")[2] == "tmpfs" }.count
        #expect(only.metrics.allSatisfy { $0.tags.contains { $0.hasPrefix("device:") } })
        if tmpfsCount == 0 { #expect(only.warnings == ["no file system matched the include/exclude filters"]) }
        #expect(throws: LoadError.self) { _ = try NativeLoader().load(Specs.make("disk", "{device_include: ['(']}"), context: LoadContext(hostname: "b")) }
    }

    @Test func tcpCheckUpAndDown() throws {
        let listener = try TCPListener()
        let up = try Self.run("tcp_check", "{name: local, host: 127.0.0.1, port: \(listener.port), collect_response_time: true}")
        let check = try #require(up.serviceChecks.first)
        #expect(check.name == "tcp.can_connect" && check.status == .ok)
        #expect(check.tags == ["target_host:127.0.0.1", "port:\(listener.port)", "instance:local", "address:127.0.0.1"])
        #expect(up.metrics.contains { $0.name == "network.tcp.response_time" && $0.tags.contains("url:127.0.0.1:\(listener.port)") })
        #expect(Self.values(up)["network.tcp.can_connect"] == 1)

        let down = try Self.run("tcp_check", "{name: closed, host: 127.0.0.1, port: 1, timeout: 2}")
        #expect(down.serviceChecks.first?.status == .critical)
        #expect(down.serviceChecks.first?.message.contains("Connection refused") == true)
        #expect(!down.metrics.contains { $0.name == "network.tcp.response_time" })
    }

    @Test func unknownNamesAreNotFoundSoTheChainMovesOn() {
        #expect(throws: LoadError.self) { _ = try NativeLoader().load(Specs.make("redisdb", "{}"), context: LoadContext(hostname: "b")) }
    }
}
