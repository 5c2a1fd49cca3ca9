#if canImport(Glibc)
import Glibc
#endif

/// `load`: system.load.1/5/15 from /proc/loadavg, and system.load.norm.* divided by the
/// number of online CPUs, as the Agent's load check reports them.
final class LoadCheck: Check {
    let proc: ProcFiles
    let cpus: Double

    init(proc: ProcFiles, cpus: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) {
        self.proc = proc
        self.cpus = Double(max(cpus, 1))
    }

    func run(_ sender: Sender) throws {
        let text = try proc.text("loadavg")
        let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard fields.count == 3 else { throw CheckRunError("unexpected /proc/loadavg: \(text)") }
        for (suffix, value) in zip(["1", "5", "15"], fields) {
            sender.gauge("system.load.\(suffix)", value)
            sender.gauge("system.load.norm.\(suffix)", value / cpus)
        }
    }
}
