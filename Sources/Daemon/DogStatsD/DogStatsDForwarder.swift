import Foundation
public import Logging
public import Runtime
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Sends each run's series and service checks to a DogStatsD server over UDP, from the
/// check worker that finished the run (encoding plus a non-blocking sendto(2), no waiting).
/// A failed send is counted and never reaches the check. The target is resolved once at
/// start-up; after a failed send (or while unresolved) a new lookup is requested, which
/// ``DogStatsDService`` performs off the workers, at most once a second.
public final class DogStatsDForwarder: Sendable {
    /// What has been sent and what failed, for `/status`.
    public struct Counters: Sendable, Equatable {
        public var datagramsSent = 0
        public var linesSent = 0
        public var bytesSent = 0
        /// Datagrams not sent: sendto(2) failed, or the target was not resolved.
        public var sendErrors = 0
        /// Lines longer than the payload limit, each sent in a datagram of its own.
        public var oversizeLines = 0
        public var resolutions = 0
        public var resolveErrors = 0
    }

    private struct State {
        var counters = Counters()
        var lastError: String?
        var failing = false
    }

    public let target: DogStatsDTarget
    /// Vigil's host name: series on it carry no `host:` tag.
    public let defaultHost: String
    public let batcher: DogStatsDBatcher
    private let logger: Logger
    private let destination = Mutex<UDPDestination?>(nil)
    private let state = Mutex(State())
    let resolveRequests: AsyncStream<Void>
    private let requestResolve: AsyncStream<Void>.Continuation

    /// Resolves `target` at once (blocking for the lookup); a failure is logged and counted,
    /// and retried by ``DogStatsDService``.
    /// - Parameters:
    ///   - target: where datagrams go.
    ///   - defaultHost: Vigil's host name.
    ///   - maxPayload: the most bytes in one datagram.
    ///   - logger: failures and recoveries are logged once per transition.
    public init(target: DogStatsDTarget, defaultHost: String, maxPayload: Int = DogStatsDBatcher.defaultMaxPayload,
                logger: Logger) {
        self.target = target
        self.defaultHost = defaultHost
        self.batcher = DogStatsDBatcher(maxPayload: maxPayload)
        self.logger = logger
        let (requests, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        resolveRequests = requests
        requestResolve = continuation
        resolve()
    }

    /// Encodes, batches and sends one run's output.
    public func forward(_ output: RunOutput) {
        let lines = DogStatsDEncoder.lines(output, defaultHost: defaultHost)
        guard !lines.isEmpty else { return }
        let (datagrams, oversize) = batcher.datagrams(lines)
        guard let destination = destination.withLock({ $0 }) else {
            failed(datagrams.count, sent: Counters(), oversize: oversize, reason: "\(target.host) is not resolved")
            return
        }
        var sent = Counters()
        var failures = 0
        var lastErrno: Int32 = 0
        for datagram in datagrams {
            if let code = destination.send(datagram) {
                failures += 1
                lastErrno = code
            } else {
                sent.datagramsSent += 1
                sent.bytesSent += datagram.count
                sent.linesSent += datagram.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            }
        }
        if failures > 0 {
            // A full socket buffer or an oversized datagram says nothing about the address.
            let lookAgain = lastErrno != EAGAIN && lastErrno != EWOULDBLOCK && lastErrno != EMSGSIZE
            failed(failures, sent: sent, oversize: oversize,
                   reason: "sendto \(destination.numeric): \(String(cString: strerror(lastErrno)))", lookAgain: lookAgain)
        } else {
            let recovered = state.withLock { state in
                state.counters.add(sent, oversize: oversize)
                defer { state.failing = false }
                return state.failing
            }
            if recovered { logger.info("DogStatsD sends succeed again", metadata: ["target": "\(target)"]) }
        }
    }

    private func failed(_ count: Int, sent: Counters, oversize: Int, reason: String, lookAgain: Bool = true) {
        let first = state.withLock { state in
            state.counters.add(sent, oversize: oversize)
            state.counters.sendErrors += count
            state.lastError = reason
            defer { state.failing = true }
            return !state.failing
        }
        if first { logger.warning("DogStatsD send failed; checks are not affected", metadata: ["target": "\(target)", "error": "\(reason)"]) }
        if lookAgain { requestResolve.yield() }
    }

    /// Looks the target up and swaps in a new socket. Blocks for the lookup.
    @discardableResult
    func resolve() -> Bool {
        do {
            let resolved = try UDPDestination.resolve(target)
            let previous = destination.withLock { current in
                defer { current = resolved }
                return current?.numeric
            }
            state.withLock { $0.counters.resolutions += 1 }
            if previous != resolved.numeric {
                logger.info("DogStatsD forwarding", metadata: ["target": "\(target)", "address": "\(resolved.numeric)"])
            }
            return true
        } catch {
            state.withLock { state in
                state.counters.resolveErrors += 1
                state.lastError = error.description
            }
            logger.warning("DogStatsD target does not resolve; will retry", metadata: ["target": "\(target)", "error": "\(error)"])
            return false
        }
    }

    /// ``resolve()`` on a thread of its own, so a slow DNS answer holds no thread of the
    /// concurrency pool.
    func resolveOffPool() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                self.resolve()
                continuation.resume()
            }
        }
    }

    public var counters: Counters { state.withLock { $0.counters } }
    public var lastError: String? { state.withLock { $0.lastError } }
    /// The numeric address datagrams go to, once resolved.
    public var address: String? { destination.withLock { $0?.numeric } }
}

extension DogStatsDForwarder.Counters {
    fileprivate mutating func add(_ sent: Self, oversize: Int) {
        datagramsSent += sent.datagramsSent
        linesSent += sent.linesSent
        bytesSent += sent.bytesSent
        oversizeLines += oversize
    }
}
