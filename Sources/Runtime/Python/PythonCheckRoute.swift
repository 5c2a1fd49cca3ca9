import Synchronization

/// Where a Python check's submissions go: the sender of its run in progress (none between
/// runs), and what it reported through `set_check_metadata`. The bridge finds it by check ID.
final class PythonCheckRoute: Sendable {
    let checkID: String
    private let sender = Mutex<Sender?>(nil)
    private let metadataValues = Mutex<[String: String]>([:])

    init(checkID: String) {
        self.checkID = checkID
    }

    func begin(_ sender: Sender) { self.sender.withLock { $0 = sender } }
    func end() { sender.withLock { $0 = nil } }
    var current: Sender? { sender.withLock { $0 } }

    func setMetadata(_ name: String, _ value: String) { metadataValues.withLock { $0[name] = value } }
    var metadata: [String: String] { metadataValues.withLock { $0 } }
}

/// The routing table behind the bridge's C callbacks, which cannot capture context: the one
/// piece of process-wide state STYLE.md §13 allows, owned by the interpreter.
final class PythonRoutes: Sendable {
    static let shared = PythonRoutes()

    private let routes = Mutex<[String: PythonCheckRoute]>([:])
    private let services = Mutex<PythonHostServices?>(nil)
    /// Submissions for an unknown check ID, or made between runs (a check's own thread
    /// submitting late): dropped, and counted here.
    let dropped = Atomic<UInt64>(0)

    func add(_ route: PythonCheckRoute) { routes.withLock { $0[route.checkID] = route } }
    func remove(_ checkID: String) { _ = routes.withLock { $0.removeValue(forKey: checkID) } }
    func route(_ checkID: String) -> PythonCheckRoute? { routes.withLock { $0[checkID] } }

    /// The sender of the check's current run, or nil (the submission is counted as dropped).
    func sender(_ checkID: String) -> Sender? {
        if let sender = routes.withLock({ $0[checkID] })?.current { return sender }
        dropped.add(1, ordering: .relaxed)
        return nil
    }

    var hostServices: PythonHostServices? {
        get { services.withLock { $0 } }
        set { services.withLock { $0 = newValue } }
    }
}
