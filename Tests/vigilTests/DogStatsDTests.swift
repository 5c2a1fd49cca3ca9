@testable import Daemon
import Foundation
import Logging
@testable import Runtime
import Synchronization
import TestSupport
import Testing
import VigilConfig
@testable import vigil

#if canImport(Glibc)
import Glibc
#endif

/// DogStatsD forwarding: the encoder and batcher as tables, option parsing, failure counting,
/// and a real daemon's datagrams compared line by line with what the official `datadog`
/// client (0.52.1, in the venv) sends for the same series and service checks.
@Suite struct DogStatsDTests {
    // MARK: - Encoder

    @Test(arguments: [
        (1.5, "1.5"), (2.0, "2.0"), (-3.0, "-3.0"), (0.0, "0.0"), (-0.0, "-0.0"), (0.125, "0.125"),
        (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (1e15, "1000000000000000.0"),
        (1e16, "1e+16"), (12345678901234567.0, "1.2345678901234568e+16"), (0.1 + 0.2, "0.30000000000000004"),
        (123.456, "123.456"), (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (1e22, "1e+22"),
    ])
    func valuesAreSpelledAsPythonReprs(value: Double, expected: String) {
        #expect(DogStatsDEncoder.pythonRepr(value) == expected)
    }

    @Test func seriesLinesCarryTypeAndNormalisedTags() {
        func series(_ metric: String, _ type: SeriesType, _ value: Double, tags: [String] = [], host: String = "box") -> Series {
            Series(metric: metric, type: type, value: value, tags: tags, host: host, timestamp: 1_700_000_000)
        }
        #expect(DogStatsDEncoder.line(series("a", .gauge, 1.5), defaultHost: "box") == "a:1.5|g")
        #expect(DogStatsDEncoder.line(series("b", .count, 2), defaultHost: "box") == "b:2.0|c")
        #expect(DogStatsDEncoder.line(series("hits", .rate, 0.5), defaultHost: "box") == "hits:0.5|g")
        #expect(DogStatsDEncoder.line(series("t", .gauge, 1, tags: ["note:say \"hi\" & bye", "caf\u{E9}:ok", "a/b-c.d_e"]),
                                      defaultHost: "box") == "t:1.0|g|#note:say__hi____bye,caf\u{E9}:ok,a/b-c.d_e")
        #expect(DogStatsDEncoder.line(series("h", .gauge, 7, tags: ["x"], host: "db-1"), defaultHost: "box") == "h:7.0|g|#x,host:db-1")
        #expect(DogStatsDEncoder.line(series("n", .gauge, .nan), defaultHost: "box") == nil)
        #expect(DogStatsDEncoder.line(series("i", .gauge, .infinity), defaultHost: "box") == nil)
    }

    @Test func serviceCheckLinesEscapeTheMessageAndPutItLast() {
        let full = ServiceCheck(name: "app.up", status: .critical, tags: ["role:db", "odd tag!"], host: "box",
                                message: "line one\nline two m:colon | pipe", timestamp: 1_700_000_000.75)
        #expect(DogStatsDEncoder.line(full) == #"_sc|app.up|2|d:1700000000|h:box|#role:db,odd tag!|m:line one\nline two m\:colon | pipe"#)
        #expect(DogStatsDEncoder.line(ServiceCheck(name: "bare", status: .ok)) == "_sc|bare|0")
        // A tag that would end the line or the field early (the client would send it broken).
        let hostile = ServiceCheck(name: "s", status: .warning, tags: ["quote:\"a\\b\nc", "p|q", "crlf\r\nx"], message: "w")
        let line = DogStatsDEncoder.line(hostile)
        #expect(line == #"_sc|s|1|#quote:"a\b_c,p_q,crlf_x|m:w"#)
        #expect(!line.contains("\n") && line.split(separator: "|").count == 5)
    }

    // MARK: - Batching

    @Test func datagramsFillUpToThePayloadLimitAndNoFurther() {
        let batcher = DogStatsDBatcher()
        #expect(batcher.maxPayload == 1432)
        // 10 lines of 142 bytes + newline = 1430; one of 1 byte + newline makes exactly 1432 as
        // the client counts (its "\n".join sends 1431: no newline after the last line).
        let line = String(repeating: "x", count: 142)
        let exact = Array(repeating: line, count: 10) + ["y"]
        let (fitting, none) = batcher.datagrams(exact)
        #expect(none == 0)
        #expect(fitting.map(\.count) == [1431])
        // Two more bytes on the last line: it moves to a second datagram.
        let (split, _) = batcher.datagrams(Array(repeating: line, count: 10) + ["yyy"])
        #expect(split.map(\.count) == [1429, 3])
        #expect(split.flatMap { $0.split(separator: UInt8(ascii: "\n")) }.count == 11)
    }

    @Test func anOversizeLineGoesOutAlone() {
        let batcher = DogStatsDBatcher(maxPayload: 100)
        let big = String(repeating: "z", count: 150)
        let (datagrams, oversize) = batcher.datagrams(["a:1.0|g", big, "b:2.0|g", "c:3.0|g"])
        #expect(oversize == 1)
        #expect(datagrams.map { String(decoding: $0, as: UTF8.self) } == ["a:1.0|g", big, "b:2.0|g\nc:3.0|g"])
    }

    @Test func manyLinesKeepOrderAndEveryDatagramFits() {
        let lines = (0..<500).map { "metric.\($0):\(Double($0) / 7)|g|#idx:\($0)" }
        let (datagrams, _) = DogStatsDBatcher().datagrams(lines)
        #expect(datagrams.count > 1)
        #expect(datagrams.allSatisfy { $0.count <= 1432 && $0.last != UInt8(ascii: "\n") })
        let rejoined = datagrams.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) }
        #expect(rejoined == lines)
    }

    // MARK: - Options

    @Test func targetsComeFromTheOptionThenTheDatadogEnvironment() throws {
        #expect(try DogStatsDTarget.resolve("127.0.0.1:9125", environment: [:]) == DogStatsDTarget(host: "127.0.0.1", port: 9125))
        #expect(try DogStatsDTarget.resolve("[::1]:8125", environment: [:]) == DogStatsDTarget(host: "::1", port: 8125))
        #expect(try DogStatsDTarget.resolve(nil, environment: ["DD_AGENT_HOST": "agent"]) == DogStatsDTarget(host: "agent", port: 8125))
        #expect(try DogStatsDTarget.resolve(nil, environment: ["DD_AGENT_HOST": "agent", "DD_DOGSTATSD_PORT": "9000"])
                == DogStatsDTarget(host: "agent", port: 9000))
        #expect(try DogStatsDTarget.resolve("none", environment: ["DD_AGENT_HOST": "agent"]) == nil)
        #expect(try DogStatsDTarget.resolve(nil, environment: ["DD_DOGSTATSD_PORT": "9000"]) == nil)
        #expect(throws: DogStatsDError.self) { try DogStatsDTarget.resolve("::1:8125", environment: [:]) }
        #expect(throws: DogStatsDError.self) { try DogStatsDTarget.resolve("host:0", environment: [:]) }
        #expect(throws: DogStatsDError.self) { try DogStatsDTarget.resolve(nil, environment: ["DD_AGENT_HOST": "a", "DD_DOGSTATSD_PORT": "x"]) }

        let flag = try RunCommand.parse(["--dogstatsd", "127.0.0.1:1234"]).resolvedOptions(environment: ["VIGIL_DOGSTATSD": "other:1"])
        #expect(flag.dogstatsd == DogStatsDTarget(host: "127.0.0.1", port: 1234))
        let env = try RunCommand.parse([]).resolvedOptions(environment: ["VIGIL_DOGSTATSD": "other:1", "DD_AGENT_HOST": "agent"])
        #expect(env.dogstatsd == DogStatsDTarget(host: "other", port: 1))
        #expect(try RunCommand.parse([]).resolvedOptions(environment: [:]).dogstatsd == nil)
    }

    // MARK: - Failures

    @Test func failedSendsAreCountedAndNeverThrown() {
        // The broadcast address without SO_BROADCAST: sendto(2) fails with EACCES.
        let forwarder = DogStatsDForwarder(target: DogStatsDTarget(host: "255.255.255.255", port: 8125), defaultHost: "box",
                                           logger: Logger(label: "test"))
        let output = RunOutput(id: CheckID(rawValue: "t:1"),
                               series: [Series(metric: "a", type: .gauge, value: 1, tags: [], host: "box", timestamp: 0)],
                               serviceChecks: [ServiceCheck(name: "s", status: .ok)])
        forwarder.forward(output)
        forwarder.forward(output)
        let counters = forwarder.counters
        #expect(counters.resolutions == 1)
        #expect(counters.sendErrors == 2)
        #expect(counters.datagramsSent == 0)
        #expect(forwarder.lastError?.contains("255.255.255.255") == true)
    }

    // MARK: - A real daemon against the official client

    static let pythonCheck = """
        from datadog_checks.base import AgentCheck


        class StatsdProbe(AgentCheck):
            def check(self, instance):
                self.gauge('probe.temp', 21.25, tags=['room:kitchen', 'note:say "hi" & bye', 'caf\\u00e9:ok'])
                self.count('probe.jobs', 3, tags=['queue:a'])
                self.increment('probe.hits', 2)
                self.gauge('probe.remote', 1e-05, hostname='db-1')
                self.service_check('probe.up', self.WARNING, tags=['role:db', 'odd tag!'],
                                   message='line one\\nline two m:colon | pipe')

        """

    /// The official client encodes `items` (from Vigil's `/status`) to its own UDP socket, and
    /// the lines it sent are read back.
    static let reference = """
        import json, os, socket, sys
        for key in list(os.environ):
            if key.startswith(('DD_', 'DATADOG_')):
                del os.environ[key]
        from datadog.dogstatsd import DogStatsd

        items = json.load(open(sys.argv[1]))
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(('127.0.0.1', 0))
        sock.settimeout(5)
        statsd = DogStatsd(host='127.0.0.1', port=sock.getsockname()[1], disable_telemetry=True,
                           origin_detection_enabled=False)
        for item in items:
            if item['kind'] == 'series':
                send = statsd.count if item['type'] == 'count' else statsd.gauge
                send(item['metric'], float(item['value']), tags=item['tags'] or None)
            else:
                statsd.service_check(item['check'], item['status'], tags=item['tags'] or None,
                                     timestamp=int(item['timestamp']), hostname=item['host'] or None,
                                     message=item['message'] or None)
        lines = []
        while len(lines) < len(items):
            data = sock.recv(65536).decode('utf-8')
            lines += [line for line in data.split('\\n') if line]
        print(json.dumps(lines))
        """

    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)))
    func aRunningDaemonSendsWhatTheOfficialClientSends() async throws {
        let listener = try UDPListener()
        defer { listener.stop() }
        let venv = URL(fileURLWithPath: Repository.venvPython!).deletingLastPathComponent().deletingLastPathComponent().path
        let daemon = try await DaemonProcess.start(extraArguments: [
            "--python-venv", venv, "--hostname", "vigil-test", "--dogstatsd", "127.0.0.1:\(listener.port)",
        ]) { dir in
            try dir.write("conf.d/perf.yaml",
                          "instances:\n  - {command: [/bin/sh, -c, \"echo 'OK | a=1.5;; b=2c'\"], min_collection_interval: 1}\n")
            try dir.write("checks.d/statsd_probe.py", Self.pythonCheck)
            try dir.write("conf.d/statsd_probe.yaml", "instances:\n  - {min_collection_interval: 1}\n")
        }
        let status = try await daemon.waitFor { status in
            let checks = (status["checks"] as? [[String: Any]]) ?? []
            return checks.count == 2 && checks.allSatisfy { ($0["total_runs"] as? Int ?? 0) >= 2 }
        }
        let checks = try #require(status["checks"] as? [[String: Any]])
        try #require(checks.count == 2 && checks.allSatisfy { ($0["total_errors"] as? Int) == 0 }, "\(checks)")

        // What Vigil says the latest runs produced, as the reference script's input.
        var items: [[String: Any]] = []
        for check in checks {
            for series in (check["series"] as? [[String: Any]]) ?? [] {
                var tags = (series["tags"] as? [String]) ?? []
                if let host = series["host"] as? String, host != "vigil-test" { tags.append("host:\(host)") }
                items.append(["kind": "series", "metric": series["metric"]!, "type": series["type"]!, "value": series["value"]!, "tags": tags])
            }
            for serviceCheck in (check["service_checks"] as? [[String: Any]]) ?? [] {
                var item = serviceCheck
                item["kind"] = "service_check"
                items.append(item)
            }
        }
        let names = Set(items.compactMap { ($0["metric"] ?? $0["check"]) as? String })
        #expect(names == ["perf.a", "perf.b", "perf.status", "probe.temp", "probe.jobs", "probe.hits", "probe.remote", "probe.up"])

        let dir = try TemporaryDirectory("vigil-dogstatsd")
        let input = try dir.write("items.json", String(decoding: try JSONSerialization.data(withJSONObject: items), as: UTF8.self))
        let result = try runProcess(Repository.venvPython!, ["-c", Self.reference, input])
        try #require(result.status == 0, "reference client failed:\n\(result.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String])
        #expect(expected.count == items.count)

        // Those runs' datagrams may still be on their way: wait until every line has arrived.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !Set(expected).isSubset(of: Set(listener.lines)) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let received = Set(listener.lines)
        for line in expected {
            #expect(received.contains(line), "Vigil sent no line identical to the client's \(line)")
        }
        // A few spelled out, so a shared mistake in both encodings cannot hide.
        #expect(received.contains("perf.a:1.5|g"))
        #expect(received.contains("perf.b:0.0|c"))
        // Vigil keeps a context's tags sorted.
        #expect(received.contains("probe.temp:21.25|g|#caf\u{E9}:ok,note:say__hi____bye,room:kitchen"))
        #expect(received.contains("probe.jobs:3.0|c|#queue:a"))
        #expect(received.contains("probe.hits:2.0|g"))
        #expect(received.contains("probe.remote:1e-05|g|#host:db-1"))
        #expect(received.contains { $0.hasPrefix("_sc|probe.up|1|d:")
                && $0.hasSuffix(#"|h:vigil-test|#role:db,odd tag!|m:line one\nline two m\:colon | pipe"#) })
        #expect(received.contains { $0.hasPrefix("_sc|perf.status|0|d:") && $0.hasSuffix("|h:vigil-test|m:OK") })

        // Every datagram is lines joined by newlines, none after the last (as the client's
        // "\n".join), within the client's payload limit.
        let datagrams = listener.datagrams
        #expect(!datagrams.isEmpty && datagrams.allSatisfy { $0.count <= 1432 && $0.last != UInt8(ascii: "\n") })

        let block = try #require(try daemon.status()["dogstatsd"] as? [String: Any])
        #expect(block["target"] as? String == "127.0.0.1:\(listener.port)")
        #expect(block["address"] as? String == "127.0.0.1:\(listener.port)")
        #expect(block["max_payload"] as? Int == 1432)
        #expect(block["send_errors"] as? Int == 0)
        #expect(block["resolutions"] as? Int == 1)
        #expect((block["datagrams_sent"] as? Int ?? 0) >= datagrams.count && datagrams.count >= 1)
        #expect((block["lines_sent"] as? Int ?? 0) >= expected.count)
        #expect(await daemon.terminate().status == 0)
    }

    @Test func statusShowsNullWhenForwardingIsOff() async throws {
        let daemon = try await DaemonProcess.start()
        let status = try daemon.status()
        #expect(status.keys.contains("dogstatsd"))
        #expect(status["dogstatsd"] is NSNull)
        _ = await daemon.terminate()
    }
}

/// A UDP socket on 127.0.0.1, port 0, collecting every datagram sent to it on a thread of
/// its own until the test ends.
private final class UDPListener: Sendable {
    let fd: Int32
    let port: Int
    private let received = Mutex<[[UInt8]]>([])
    private let stopped = Atomic(false)

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { close(fd); throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: address.sin_port))
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !stopped.load(ordering: .relaxed) {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count > 0 { received.withLock { $0.append(Array(buffer[0..<count])) } }
            }
            close(fd)
        }
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    var datagrams: [[UInt8]] { received.withLock { $0 } }

    var lines: [String] {
        datagrams.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) }
    }
}
