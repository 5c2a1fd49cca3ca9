/// `memory`: system.mem.* and system.swap.* in MiB, with the Datadog Agent's definitions
/// (its memory core check over gopsutil): used is total − free, usable is MemAvailable,
/// cached includes SReclaimable, pct_usable is available ÷ total, swap_in/out are rates.
final class MemoryCheck: Check {
    let proc: ProcFiles
    static let mebibyte = 1_048_576.0

    init(proc: ProcFiles) { self.proc = proc }

    func run(_ sender: Sender) throws {
        let info = try proc.keyValues("meminfo")
        func value(_ key: String) -> Double { info[key] ?? 0 }
        func mib(_ key: String) -> Double { value(key) / Self.mebibyte }
        let total = value("MemTotal"), free = value("MemFree")
        let available = info["MemAvailable"] ?? (free + value("Buffers") + value("Cached"))
        sender.gauge("system.mem.total", total / Self.mebibyte)
        sender.gauge("system.mem.free", free / Self.mebibyte)
        sender.gauge("system.mem.used", (total - free) / Self.mebibyte)
        sender.gauge("system.mem.usable", available / Self.mebibyte)
        if total > 0 { sender.gauge("system.mem.pct_usable", available / total) }
        sender.gauge("system.mem.cached", (value("Cached") + value("SReclaimable")) / Self.mebibyte)
        sender.gauge("system.mem.buffered", mib("Buffers"))
        sender.gauge("system.mem.shared", mib("Shmem"))
        sender.gauge("system.mem.slab", mib("Slab"))
        sender.gauge("system.mem.slab_reclaimable", mib("SReclaimable"))
        sender.gauge("system.mem.page_tables", mib("PageTables"))
        sender.gauge("system.mem.commit_limit", mib("CommitLimit"))
        sender.gauge("system.mem.committed_as", mib("Committed_AS"))
        sender.gauge("system.swap.cached", mib("SwapCached"))

        let swapTotal = value("SwapTotal"), swapFree = value("SwapFree")
        sender.gauge("system.swap.total", swapTotal / Self.mebibyte)
        sender.gauge("system.swap.free", swapFree / Self.mebibyte)
        sender.gauge("system.swap.used", (swapTotal - swapFree) / Self.mebibyte)
        sender.gauge("system.swap.pct_free", swapTotal > 0 ? swapFree / swapTotal : 1)
        if let vmstat = try? proc.keyValues("vmstat", keys: ["pswpin", "pswpout"]) {
            let page = 4096.0
            sender.submit(MetricSample(name: "system.swap.swap_in", type: .rate, value: (vmstat["pswpin"] ?? 0) * page / Self.mebibyte))
            sender.submit(MetricSample(name: "system.swap.swap_out", type: .rate, value: (vmstat["pswpout"] ?? 0) * page / Self.mebibyte))
        }
    }
}
