/// `vigil status` as text, in the spirit of the Datadog Agent's `agent status`: a header,
/// the collector section (per check, per instance: the block `vigil check` prints), then
/// config errors by file and line, then loader errors by instance and loader.
enum StatusReport {
    static func text(_ status: DaemonStatus, address: String) -> String {
        var out = "Vigil (v\(status.version ?? "?"))\n" + underline("Vigil (v\(status.version ?? "?"))", "=") + "\n"
        out += "  Address: \(address)\n"
        if let hostname = status.hostname { out += "  Hostname: \(hostname)\n" }
        if let uptime = status.uptimeS { out += "  Uptime: \(Int(uptime)) s\n" }
        out += "  Ready: \(status.ready ? "yes" : "no (first reconcile not applied yet)")\n"
        if let python = status.python { out += "  Python: \(python)\n" }
        for missing in status.missingConfigDirs ?? [] { out += "  Config directory unusable: \(missing.path): \(missing.reason)\n" }
        out += "\n" + collector(status.checks)
        out += "\n" + configErrors(status.configFiles)
        out += "\n" + loaderErrors(status.checks)
        return out
    }

    static func collector(_ checks: [DaemonStatus.Check]) -> String {
        var out = "Collector\n=========\n\n  Running Checks\n  ==============\n"
        guard !checks.isEmpty else { return out + "    No checks have run yet\n" }
        let byName = Dictionary(grouping: checks, by: \.check)
        for name in byName.keys.sorted() {
            let instances = byName[name]!.sorted { $0.id < $1.id }
            let version = instances.compactMap(\.version).first.map { " (\($0))" } ?? ""
            out += "\n    \(name)\(version)\n    \(underline("\(name)\(version)", "-"))\n"
            for (index, check) in instances.enumerated() {
                if index > 0 { out += "\n" }
                out += block(check).text(indent: "      ", loaderErrorLines: false)
                var notes: [String] = []
                if let loader = check.loader { notes.append("loader \(loader)") }
                if check.state != "scheduled" && check.state != "running" {
                    notes.append("state \(check.state)" + ((check.loaderErrors ?? [:]).isEmpty ? "" : ", see Loader Errors"))
                }
                if let state = check.sourceState, state != "ok" { notes.append("source \(state)") }
                if let reason = check.skipReason { notes.append("skipped: \(reason)") }
                if !notes.isEmpty { out += "      (\(notes.joined(separator: ", ")))\n" }
            }
        }
        return out
    }

    static func block(_ check: DaemonStatus.Check) -> InstanceBlock {
        InstanceBlock(
            id: check.id, source: check.source, totalRuns: check.totalRuns,
            metricSamplesLast: check.metricSamplesLast, metricSamplesTotal: check.metricSamplesTotal,
            eventsLast: check.eventsLast ?? 0, eventsTotal: check.eventsTotal ?? 0,
            serviceChecksLast: check.serviceChecksLast, serviceChecksTotal: check.serviceChecksTotal,
            averageExecutionMs: check.avgExecutionMs, lastExecutionMs: check.lastExecutionMs,
            lastRunAt: check.lastRunAt, lastSuccessAt: check.lastSuccessAt,
            lastError: check.lastError, lastErrorTraceback: check.lastErrorTraceback,
            loaderErrors: check.loaderErrors ?? [:], warnings: check.lastWarnings ?? [])
    }

    /// Files that are not valid, by path, each error at its line; `degraded` files keep their
    /// last valid instances running.
    static func configErrors(_ files: [DaemonStatus.ConfigFile]) -> String {
        var out = "Config Errors\n=============\n"
        let broken = files.filter { !$0.errors.isEmpty }.sorted { $0.path < $1.path }
        guard !broken.isEmpty else { return out + "  None\n" }
        for file in broken {
            let kept = file.state == "degraded" ? ", last valid instances kept running" : ""
            out += "\n  \(file.path) (\(file.state)\(kept))\n"
            for error in file.errors { out += "    \(error.description(path: file.path))\n" }
        }
        return out
    }

    /// Instances no loader could load: per instance, each loader's message.
    static func loaderErrors(_ checks: [DaemonStatus.Check]) -> String {
        var out = "Loader Errors\n=============\n"
        let failing = checks.filter { !($0.loaderErrors ?? [:]).isEmpty }.sorted { $0.id < $1.id }
        guard !failing.isEmpty else { return out + "  None\n" }
        for check in failing {
            out += "\n  \(check.id) [ERROR]\n  Configuration Source: file:\(check.source)\n"
            for (loader, message) in (check.loaderErrors ?? [:]).sorted(by: { $0.key < $1.key }) {
                out += "    \(loader): \(message)\n"
            }
        }
        return out
    }

    static func underline(_ text: String, _ character: Character) -> String {
        String(repeating: character, count: text.count)
    }
}
