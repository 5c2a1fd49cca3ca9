public import VigilConfig

/// The reconcile plan as a pure function of what is wanted and what is running: no I/O, no
/// clock, no globals. IDs are digests of meaning, so an ID in both sets is unchanged by
/// definition, and an edited instance is a new ID plus an old one to stop.
public enum Planner {
    /// - Parameters:
    ///   - desired: every instance the config files describe, by ID.
    ///   - running: every instance the runtime has, with the source it came from.
    public static func plan(desired: [CheckID: CheckSpec], running: [CheckID: ConfigSource]) -> Plan {
        var schedule: [CheckSpec] = []
        var unchanged = 0
        var moved: [CheckSpec] = []
        for (id, spec) in desired {
            guard let source = running[id] else {
                schedule.append(spec)
                continue
            }
            unchanged += 1
            if source != spec.source { moved.append(spec) }
        }
        moved.sort { $0.id < $1.id }
        var unschedule: [CheckID] = []
        for id in running.keys where desired[id] == nil { unschedule.append(id) }
        schedule.sort { $0.id < $1.id }
        unschedule.sort()

        // An old and a new ID from the same file position is one instance replaced.
        var newBySource: [ConfigSource: CheckID] = [:]
        for spec in schedule { newBySource[spec.source] = spec.id }
        let replacements = unschedule.compactMap { old -> Plan.Replacement? in
            guard let source = running[old], let new = newBySource[source] else { return nil }
            return Plan.Replacement(old: old, new: new)
        }
        return Plan(schedule: schedule, unschedule: unschedule, replacements: replacements, unchanged: unchanged, moved: moved)
    }
}
