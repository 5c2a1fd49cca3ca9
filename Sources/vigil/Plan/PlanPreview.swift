import Reconciler
import VigilConfig

/// What the daemon would do if it reconciled now: the conf.d on disk against what it runs,
/// through the daemon's own `Planner.plan`. Pure: the command does the reading.
///
/// As the daemon does, an instance whose file is now invalid keeps running (its last valid
/// version stays), and so does one from a config directory that cannot be read; those are
/// `kept`, not unscheduled.
struct PlanPreview {
    var plan: Plan
    /// Running instances left alone because their file is invalid or their directory unusable.
    var kept: [CheckID]
    /// Files that are not valid on disk, with their errors.
    var invalidFiles: [ConfigFileStatus]
    var missingRoots: [String: String]
    /// Where each running instance came from, for the unscheduled lines.
    var runningSources: [CheckID: ConfigSource]

    /// - Parameters:
    ///   - desired: the valid files' instances (``ConfigTree/desired`` after a full read).
    ///   - files: every file's state (``ConfigTree/fileStatuses``).
    ///   - missingRoots: config roots that cannot be read, with why.
    ///   - running: what the daemon runs, with each instance's source.
    static func make(desired: [CheckID: CheckSpec], files: [ConfigFileStatus], missingRoots: [String: String],
                     running: [CheckID: ConfigSource]) -> PlanPreview {
        let invalid = files.filter { $0.state != .ok }
        let invalidPaths = Set(invalid.map(\.path))
        var considered: [CheckID: ConfigSource] = [:]
        var kept: [CheckID] = []
        for (id, source) in running {
            let fromUnusableRoot = missingRoots.keys.contains { source.path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
            if desired[id] == nil, invalidPaths.contains(source.path) || fromUnusableRoot {
                kept.append(id)
            } else {
                considered[id] = source
            }
        }
        return PlanPreview(plan: Planner.plan(desired: desired, running: considered), kept: kept.sorted(),
                           invalidFiles: invalid, missingRoots: missingRoots, runningSources: running)
    }

    var changes: Bool { !plan.isEmpty }

    /// kubectl-diff-like lines: `+` scheduled, `~` replaced (old → new, same file position),
    /// `-` unscheduled, `>` moved (same instance, new file position: it keeps running and does
    /// not count as a change), then a summary.
    func text() -> String {
        var out = ""
        for file in invalidFiles {
            out += "! \(file.path) is \(file.state.rawValue): its running instances are kept\n"
            for error in file.errors { out += "    \(error)\n" }
        }
        for (root, reason) in missingRoots.sorted(by: { $0.key < $1.key }) {
            out += "! \(root) cannot be read (\(reason)): its running instances are kept\n"
        }
        let replacedOld = Set(plan.replacements.map(\.old)), replacedNew = Set(plan.replacements.map(\.new))
        let sourceOfNew = Dictionary(plan.schedule.map { ($0.id, $0.source) }, uniquingKeysWith: { a, _ in a })
        for spec in plan.schedule where !replacedNew.contains(spec.id) {
            out += "+ scheduled   \(spec.id)  \(spec.source)\n"
        }
        for replacement in plan.replacements {
            let source = sourceOfNew[replacement.new].map { "  \($0)" } ?? ""
            out += "~ replaced    \(replacement.old) -> \(replacement.new)\(source)\n"
        }
        for id in plan.unschedule where !replacedOld.contains(id) {
            out += "- unscheduled \(id)\(runningSources[id].map { "  \($0)" } ?? "")\n"
        }
        for spec in plan.moved {
            out += "> moved       \(spec.id)  \(runningSources[spec.id].map { "\($0) -> " } ?? "")\(spec.source)\n"
        }
        let scheduled = plan.schedule.count - plan.replacements.count
        let unscheduled = plan.unschedule.count - plan.replacements.count
        out += "Plan: \(scheduled) to schedule, \(plan.replacements.count) to replace, \(unscheduled) to unschedule, "
        out += "\(plan.unchanged) unchanged"
        if !kept.isEmpty { out += ", \(kept.count) kept from invalid files" }
        out += ".\n"
        if !changes {
            let problems = invalidFiles.count + missingRoots.count
            out += problems == 0
                ? "No changes: the daemon runs what conf.d describes.\n"
                : "No changes to what runs, but \(problems) path\(problems == 1 ? " is" : "s are") not valid (above): fix \(problems == 1 ? "it" : "them") for conf.d to be what runs.\n"
        }
        return out
    }
}
