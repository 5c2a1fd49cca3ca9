import VigilYAML
import Dispatch
import Foundation

/// Reads a config file from disk and decodes it, turning read failures (missing, unreadable,
/// too large) into errors of that file.
public struct CheckFileReader: Sendable {
    public var decoder: CheckFileDecoder

    public init(decoder: CheckFileDecoder) {
        self.decoder = decoder
    }

    public func read(_ entry: ConfigDiscovery.Entry) -> CheckFile {
        switch readBytes(entry.path) {
        case .success(let bytes):
            return decoder.decode(bytes, path: entry.path, checkName: entry.checkName)
        case .failure(let issue):
            return CheckFile(path: entry.path, checkName: entry.checkName, errors: [issue])
        }
    }

    /// The file's bytes, or the error to report for it.
    public func readBytes(_ path: String) -> Result<[UInt8], ConfigIssue> {
        switch FileSystem.read(path, maxBytes: decoder.limits.maxBytes) {
        case .success(let bytes):
            return .success(bytes)
        case .failure(.tooLarge(let size)):
            return .failure(ConfigIssue(path: path, mark: nil, message: YAMLParser.sizeMessage(size, limit: decoder.limits.maxBytes)))
        case .failure(.system(let failure)):
            return .failure(ConfigIssue(path: path, mark: nil, message: "cannot read file: \(failure)"))
        }
    }
}

extension CheckFileReader {
    /// Reads and decodes many files on up to `parallelism` threads, keeping their order. A cold
    /// start reads the whole tree at once, and parsing is CPU-bound, so every core helps.
    public func readAll(_ entries: [ConfigDiscovery.Entry], parallelism: Int? = nil) -> [CheckFile] {
        let workers = max(1, min(parallelism ?? ProcessInfo.processInfo.activeProcessorCount, entries.count))
        if workers == 1 { return entries.map(read) }
        let results = UnsafeMutableBufferPointer<CheckFile?>.allocate(capacity: entries.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        // Each worker writes only its own slots (index ≡ worker mod workers): no two threads
        // touch one element, so the unsynchronised buffer is safe.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < entries.count {
                slots[index] = read(entries[index])
                index += workers
            }
        }
        return results.map { $0! }
    }
}
