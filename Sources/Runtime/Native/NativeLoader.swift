public import VigilConfig

/// Loads the checks written in Swift, by check name: `uptime`, `load`, `memory`, `disk`,
/// `tcp_check`. Other names are "not found", and the chain moves on.
public struct NativeLoader: CheckLoader {
    public let name = "native"
    private let proc: ProcFiles

    public init(procRoot: String = "/proc") {
        proc = ProcFiles(root: procRoot)
    }

    public static let checkNames = ["disk", "load", "memory", "tcp_check", "uptime"]

    public func load(_ spec: CheckSpec, context: LoadContext) throws(LoadError) -> any Check {
        switch spec.checkName {
        case "uptime": return UptimeCheck(proc: proc)
        case "load": return LoadCheck(proc: proc)
        case "memory": return MemoryCheck(proc: proc)
        case "disk": return try DiskCheck.make(spec)
        case "tcp_check": return try TCPCheck.make(spec)
        default:
            throw .notFound("no native check named '\(spec.checkName)' (native checks: \(Self.checkNames.joined(separator: ", ")))")
        }
    }
}
