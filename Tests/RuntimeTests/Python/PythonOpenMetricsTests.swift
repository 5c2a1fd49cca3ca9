#if Python
import Foundation
import Testing
@testable import Runtime
import TestSupport
import VigilConfig

/// `OpenMetricsBaseCheckV2` scraping a real endpoint: a static page served by
/// `python3 -m http.server` on 127.0.0.1.
@Suite(.serialized, .enabled(if: PythonTesting.available, "\(Repository.venvMissing)"))
struct PythonOpenMetricsTests {
    /// `python3 -m http.server` on a free port, serving `directory`; stopped on deinit.
    final class StaticServer {
        let process = Process()
        let port: Int

        init(directory: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 41235 (http://127.0.0.1:41235/) ..."
            var text = ""
            let deadline = Date().addingTimeInterval(10)
            while !text.contains(" port "), Date() < deadline {
                text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            }
            guard let range = text.range(of: " port "), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
                kill(process.processIdentifier, SIGKILL)
                throw LoadError.failed("http.server did not start: \(text)")
            }
            self.port = port
        }

        deinit {
            // SIGKILL: a child spawned from a dispatch thread inherits its blocked SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func exposition(requests: Int) -> String {
        """
        # HELP demo_requests_total Requests served.
        # TYPE demo_requests_total counter
        demo_requests_total{code="200"} \(requests)
        # HELP demo_temperature_celsius Temperature.
        # TYPE demo_temperature_celsius gauge
        demo_temperature_celsius 21.5

        """
    }

    @Test func scrapesAnEndpointWithGaugesCountersAndTheHealthServiceCheck() throws {
        let directory = try TemporaryDirectory("vigil-openmetrics")
        _ = try directory.write("metrics", Self.exposition(requests: 10))
        let server = try StaticServer(directory: directory.path)
        let spec = Specs.make("omdemo", "{openmetrics_endpoint: \"http://127.0.0.1:\(server.port)/metrics\", metrics: [\".+\"], tags: [\"env:test\"]}")
        let check = try PythonTesting.load(spec)
        var aggregator = CheckAggregator()

        let (first, firstError) = PythonTesting.run(check)
        #expect(firstError == nil)
        #expect(first.serviceChecks.map(\.name) == ["omdemo.openmetrics.health"])
        #expect(first.serviceChecks.first?.status == .ok)
        let gauge = first.metrics.first { $0.name == "omdemo.demo_temperature_celsius" }
        #expect(gauge?.type == .gauge)
        #expect(gauge?.value == 21.5)
        #expect(gauge?.tags.contains("env:test") == true)
        let counter = first.metrics.first { $0.name == "omdemo.demo_requests.count" }
        #expect(counter?.type == .monotonicCount)
        #expect(counter?.tags.contains("code:200") == true)
        let firstSeries = aggregator.commit(first.metrics, defaultHost: "test-host", at: 1000)
        #expect(firstSeries.contains { $0.metric == "omdemo.demo_temperature_celsius" && $0.value == 21.5 })
        // A monotonic count needs a previous value.
        #expect(!firstSeries.contains { $0.metric == "omdemo.demo_requests.count" })

        _ = try directory.write("metrics", Self.exposition(requests: 17))
        let (second, secondError) = PythonTesting.run(check)
        #expect(secondError == nil)
        let secondSeries = aggregator.commit(second.metrics, defaultHost: "test-host", at: 1015)
        let count = secondSeries.first { $0.metric == "omdemo.demo_requests.count" }
        #expect(count?.type == .count)
        #expect(count?.value == 7)
        _ = server
    }
}
#endif
