public import VigilConfig

/// What a reconcile pass changes: instances to start, instances to stop, and which of those
/// pairs are one instance edited in place (same file and position, new digest).
public struct Plan: Sendable, Equatable {
    public var schedule: [CheckSpec]
    public var unschedule: [CheckID]
    public var replacements: [Replacement]
    public var unchanged: Int
    /// Unchanged instances whose source moved (an instance added above them in the file, or
    /// the file renamed): the runtime keeps them running and only learns the new place.
    public var moved: [CheckSpec] = []

    public struct Replacement: Sendable, Equatable {
        public var old: CheckID
        public var new: CheckID
    }

    public var isEmpty: Bool { schedule.isEmpty && unschedule.isEmpty }

    public static func == (lhs: Plan, rhs: Plan) -> Bool {
        lhs.schedule.map(\.id) == rhs.schedule.map(\.id) && lhs.unschedule == rhs.unschedule
            && lhs.replacements == rhs.replacements && lhs.unchanged == rhs.unchanged
            && lhs.moved.map(\.id) == rhs.moved.map(\.id)
    }
}
