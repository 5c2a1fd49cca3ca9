/// What one run of one instance produced, handed from the worker that ran it to the runtime.
public struct RunReport: Sendable {
    public var key: Int
    /// Epoch seconds at the start of the run.
    public var startedAt: Double
    public var duration: Double
    public var submissions: RunSubmissions
    public var error: CheckRunError?
}
