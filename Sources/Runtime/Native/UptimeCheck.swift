/// `uptime`: system.uptime in seconds, from /proc/uptime.
final class UptimeCheck: Check {
    let proc: ProcFiles

    init(proc: ProcFiles) { self.proc = proc }

    func run(_ sender: Sender) throws {
        let text = try proc.text("uptime")
        guard let first = text.split(separator: " ").first, let seconds = Double(first) else {
            throw CheckRunError("unexpected /proc/uptime: \(text)")
        }
        sender.gauge("system.uptime", seconds)
    }
}
