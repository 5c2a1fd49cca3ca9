public import VigilConfig

/// What one run produced, as flushed: the series its samples committed to and its service
/// checks (timestamped with the run's start). Handed to `CheckRunner`'s `onRun` sink after
/// the run is recorded, e.g. to forward it to DogStatsD.
public struct RunOutput: Sendable {
    public var id: CheckID
    public var series: [Series]
    public var serviceChecks: [ServiceCheck]

    public init(id: CheckID, series: [Series], serviceChecks: [ServiceCheck]) {
        self.id = id
        self.series = series
        self.serviceChecks = serviceChecks
    }
}
