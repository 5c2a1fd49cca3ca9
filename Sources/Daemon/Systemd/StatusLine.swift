import Reconciler

/// The one line `systemctl status` shows for Vigil, e.g.
/// `42 checks running, 1 load error, 1 invalid file (redis.d/conf.yaml:12)`.
enum StatusLine {
    static func make(_ status: ReconcilerStatus) -> String {
        let loadErrors = status.retrying.count
        let running = max(0, status.desiredInstances - loadErrors)
        var parts = [count(running, "check") + " running"]
        if loadErrors > 0 { parts.append(count(loadErrors, "load error")) }
        let problems = status.problemFiles
        if let first = problems.first {
            var where_ = shortPath(first.path, checkName: first.checkName)
            if let line = first.errors.first?.mark?.line { where_ += ":\(line)" }
            let more = problems.count > 1 ? ", …" : ""
            parts.append(count(problems.count, "invalid file") + " (\(where_)\(more))")
        }
        if !status.missingRoots.isEmpty {
            parts.append(count(status.missingRoots.count, "missing config dir"))
        }
        return parts.joined(separator: ", ")
    }

    /// `redis.d/conf.yaml` or `redis.yaml`: what an operator recognises in a conf.d.
    static func shortPath(_ path: String, checkName: String) -> String {
        let parts = path.split(separator: "/")
        guard let name = parts.last else { return path }
        if parts.count >= 2, parts[parts.count - 2] == "\(checkName).d" { return "\(checkName).d/\(name)" }
        return String(name)
    }

    private static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }
}
