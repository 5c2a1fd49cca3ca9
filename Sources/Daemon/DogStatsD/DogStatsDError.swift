/// A DogStatsD forwarding failure: a bad target, a name that does not resolve, a socket
/// that cannot be opened. Sending never throws; failed sends are counted.
public struct DogStatsDError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
