/// What the HTTP API serves; the daemon implements it.
public protocol StatusProvider: Sendable {
    /// `/healthz`: is the reconcile loop alive?
    func health() async -> StatusResponse
    /// `/readyz`: has the first full reconcile been applied? `verbose` lists the reasons.
    func readiness(verbose: Bool) async -> StatusResponse
    /// `/status`: every instance, config file and the watcher, as JSON.
    func status() async -> StatusResponse
    /// `/metrics`: OpenMetrics text.
    func metrics() async -> StatusResponse
}

/// One response: HTTP status, content type, body.
public struct StatusResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = Array(body.utf8)
    }

    public init(status: Int, contentType: String, bytes: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = bytes
    }
}
