import Foundation

/// A Nagios-convention plugin run as a check: the exit status becomes the service check
/// `<check>.status` (0 OK, 1 WARNING, 2 CRITICAL, 3 and anything else UNKNOWN) with the first
/// line's text as its message; perfdata become gauges `<check>.<label>` in base units (a `c`
/// counter becomes a monotonic count). A timeout kills the plugin's whole process group and
/// reports UNKNOWN "timed out after N s", and the run counts as failed.
final class ExecCheck: Check {
    let checkName: String
    let argv: [String]
    let environment: [String: String]
    let timeout: Double
    private let cancelled = Atomic(false)
    private let prepared: ChildProcess.Prepared

    init(checkName: String, argv: [String], environment: [String: String], timeout: Double) {
        self.checkName = checkName
        self.argv = argv
        self.environment = environment
        self.timeout = timeout
        prepared = ChildProcess.Prepared(argv, environment: environment)
    }

    func cancel() { cancelled.store(true) }

    var enforcesOwnTimeout: Bool { true }

    func run(_ sender: Sender) throws {
        // A cancel belongs to the run it interrupted: each run starts clean.
        cancelled.store(false)
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(prepared, timeout: timeout) { self.cancelled.load() }
        } catch {
            sender.serviceCheck("\(checkName).status", .unknown, message: "\(error)")
            throw CheckRunError("\(error)")
        }
        let output = NagiosOutput(String(decoding: result.stdout, as: UTF8.self))
        var message = output.message
        if message.isEmpty {
            message = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        }
        if result.truncated { message += " (output cut at 64 KiB)" }

        let status: ServiceCheckStatus
        switch result.ending {
        case .timedOut where cancelled.load():
            let text = "stopped before it finished (Vigil is stopping, or the run was cancelled)"
            sender.serviceCheck("\(checkName).status", .unknown, message: text)
            throw CheckRunError("\(argv[0]) \(text)")
        case .timedOut:
            let text = "timed out after \(Self.format(timeout)) s"
            sender.serviceCheck("\(checkName).status", .unknown, message: text)
            throw CheckRunError("\(argv[0]) \(text)")
        case .signaled(let signal):
            sender.serviceCheck("\(checkName).status", .unknown, message: "killed by signal \(signal)\(message.isEmpty ? "" : ": \(message)")")
            throw CheckRunError("\(argv[0]) was killed by signal \(signal)")
        case .exited(let code):
            status = ServiceCheckStatus(rawValue: Int(code)) ?? .unknown
            if ServiceCheckStatus(rawValue: Int(code)) == nil { message = "exit status \(code): \(message)" }
        }
        sender.serviceCheck("\(checkName).status", status, message: message)
        for datum in output.perfData {
            let (value, isCounter) = datum.normalized
            let name = "\(checkName).\(Self.metricSafe(datum.label))"
            sender.submit(MetricSample(name: name, type: isCounter ? .monotonicCount : .gauge, value: value))
        }
    }

    /// Metric names take letters, digits, `_` and `.`; anything else in a label becomes `_`.
    static func metricSafe(_ label: String) -> String {
        let mapped = label.unicodeScalars.map { scalar -> Character in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "."
                ? Character(scalar) : "_"
        }
        return String(mapped)
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

import Synchronization

extension Atomic where Value == Bool {
    func store(_ value: Bool) { store(value, ordering: .releasing) }
    func load() -> Bool { load(ordering: .acquiring) }
}
