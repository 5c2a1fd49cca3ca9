/// Where an instance stands in the runtime.
public enum InstanceState: String, Sendable, Codable {
    /// Loaded and waiting for its next run.
    case scheduled
    /// A run is in progress.
    case running
    /// No loader could load it; retried with backoff.
    case loadError = "load_error"
    /// Deliberately not run (a JMX instance).
    case skipped
    /// A run did not come back after its timeout and the grace after it: its worker thread was
    /// replaced, and later runs are skipped until it returns.
    case hung
}
