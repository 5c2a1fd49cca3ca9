import Reconciler
import Testing
import VigilConfig

/// The planner as a table: (desired, running) → plan.
@Suite struct PlannerTests {
    static func spec(_ check: String, _ digest: String, path: String = "f.yaml", index: Int = 0) -> CheckSpec {
        let d = InstanceDigest(hex: digest)
        return CheckSpec(id: CheckID(checkName: check, instanceName: nil, digest: d), checkName: check, digest: d,
                         initConfig: .mapping([]), instance: .mapping([]), options: InstanceOptions(),
                         source: ConfigSource(path: path, index: index))
    }

    static func desired(_ specs: [CheckSpec]) -> [CheckID: CheckSpec] {
        Dictionary(uniqueKeysWithValues: specs.map { ($0.id, $0) })
    }

    static func running(_ specs: [CheckSpec]) -> [CheckID: ConfigSource] {
        Dictionary(uniqueKeysWithValues: specs.map { ($0.id, $0.source) })
    }

    static let a = spec("c", "aaaa", index: 0), b = spec("c", "bbbb", index: 1), c = spec("c", "cccc", index: 2)
    static let b2 = spec("c", "b222", index: 1), d = spec("d", "dddd", path: "g.yaml")

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var desired: [CheckSpec]
        var running: [CheckSpec]
        var schedule: [String]
        var unschedule: [String]
        var replaced: [String]
        var unchanged: Int
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "start-up", desired: [a, b, c], running: [], schedule: ["c:aaaa", "c:bbbb", "c:cccc"], unschedule: [], replaced: [], unchanged: 0),
        Row(name: "nothing changed", desired: [a, b, c], running: [a, b, c], schedule: [], unschedule: [], replaced: [], unchanged: 3),
        Row(name: "one of three edited", desired: [a, b2, c], running: [a, b, c], schedule: ["c:b222"], unschedule: ["c:bbbb"],
            replaced: ["c:bbbb→c:b222"], unchanged: 2),
        Row(name: "file deleted", desired: [d], running: [a, b, c, d], schedule: [], unschedule: ["c:aaaa", "c:bbbb", "c:cccc"],
            replaced: [], unchanged: 1),
        Row(name: "instance added", desired: [a, b, c, d], running: [a, b, c], schedule: ["d:dddd"], unschedule: [], replaced: [], unchanged: 3),
        Row(name: "everything gone", desired: [], running: [a], schedule: [], unschedule: ["c:aaaa"], replaced: [], unchanged: 0),
    ]

    @Test(arguments: rows)
    func plan(_ row: Row) {
        let plan = Planner.plan(desired: Self.desired(row.desired), running: Self.running(row.running))
        #expect(plan.schedule.map(\.id.rawValue) == row.schedule)
        #expect(plan.unschedule.map(\.rawValue) == row.unschedule)
        #expect(plan.replacements.map { "\($0.old)→\($0.new)" } == row.replaced)
        #expect(plan.unchanged == row.unchanged)
    }

    /// An instance inserted above others shifts their indexes: nothing restarts, and the
    /// runtime learns their new `path[index]`.
    @Test func shiftedInstancesAreMovedNotRestarted() {
        let inserted = Self.spec("c", "0000", index: 0)
        let a1 = Self.spec("c", "aaaa", index: 1), b2 = Self.spec("c", "bbbb", index: 2)
        let plan = Planner.plan(desired: Self.desired([inserted, a1, b2]), running: Self.running([Self.a, Self.b]))
        #expect(plan.schedule.map(\.id.rawValue) == ["c:0000"])
        #expect(plan.unschedule.isEmpty)
        #expect(plan.moved.map { "\($0.id)@\($0.source.index)" } == ["c:aaaa@1", "c:bbbb@2"])
        #expect(Planner.plan(desired: Self.desired([Self.a, Self.b]), running: Self.running([Self.a, Self.b])).moved.isEmpty)
    }

    @Test func planIsAFunctionOfItsInputsOnly() {
        let (a, b, c, b2, d) = (Self.a, Self.b, Self.c, Self.b2, Self.d)
        let first = Planner.plan(desired: Self.desired([a, b2, d]), running: Self.running([a, b, c]))
        let second = Planner.plan(desired: Self.desired([d, b2, a]), running: Self.running([c, a, b]))
        #expect(first == second)
    }
}
