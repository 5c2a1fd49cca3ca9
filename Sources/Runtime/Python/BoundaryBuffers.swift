import Foundation
import Synchronization

/// Counts every C buffer Swift hands to the Python bridge: allocations, frees and the bytes
/// still outstanding (the Datadog Agent's TrackedCString/MemoryTracker, counted synchronously).
///
/// An allocation is counted before its pointer is returned and a free before the memory is
/// released, both on the calling thread, so a free can never be counted ahead of its
/// allocation and `outstanding` never goes negative. The counters live outside the `Python`
/// trait so status and metrics can always show them (all zero without Python).
public final class BoundaryBuffers: Sendable {
    public static let shared = BoundaryBuffers()

    private let allocations = Atomic<UInt64>(0)
    private let frees = Atomic<UInt64>(0)
    private let allocatedBytes = Atomic<UInt64>(0)
    private let freedBytes = Atomic<UInt64>(0)

    public struct Counts: Sendable, Equatable {
        public var allocations: UInt64
        public var frees: UInt64
        public var allocatedBytes: UInt64
        public var freedBytes: UInt64
        /// Buffers handed over and not yet given back.
        public var outstanding: UInt64 { allocations - frees }
        public var outstandingBytes: UInt64 { allocatedBytes - freedBytes }
    }

    public init() {}

    public var counts: Counts {
        // Frees first: read in this order, every counted free's allocation is already counted.
        let frees = frees.load(ordering: .acquiring)
        let freedBytes = freedBytes.load(ordering: .acquiring)
        return Counts(allocations: allocations.load(ordering: .acquiring), frees: frees,
                      allocatedBytes: allocatedBytes.load(ordering: .acquiring), freedBytes: freedBytes)
    }

    /// A malloc'd, NUL-terminated copy of `text` for C to give back through ``release(_:)``.
    func copy(_ text: String) -> UnsafeMutablePointer<CChar> {
        copy(Array(text.utf8))
    }

    /// A malloc'd copy of `bytes` plus a terminating NUL. The size is kept in a header before
    /// the returned pointer, so a free counts exactly what its allocation counted, even for
    /// output with NUL bytes in it.
    func copy(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let size = bytes.count + 1
        let block = malloc(Self.header + size)!
        block.storeBytes(of: UInt64(size), as: UInt64.self)
        let buffer = (block + Self.header).assumingMemoryBound(to: CChar.self)
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { memcpy(buffer, base, bytes.count) }
        }
        buffer[bytes.count] = 0
        allocatedBytes.add(UInt64(size), ordering: .relaxed)
        allocations.add(1, ordering: .releasing)
        return buffer
    }

    /// Gives back a buffer from ``copy(_:)``.
    func release(_ buffer: UnsafeMutablePointer<CChar>) {
        let block = UnsafeMutableRawPointer(buffer) - Self.header
        let size = block.load(as: UInt64.self)
        freedBytes.add(size, ordering: .relaxed)
        frees.add(1, ordering: .releasing)
        free(block)
    }

    private static let header = 16  // keeps the buffer 16-byte aligned, as malloc's is
}
