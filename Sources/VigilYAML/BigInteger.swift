/// An integer beyond 64 bits, as PyYAML produces for long digit strings. It only needs to be
/// built from digits, compared, and printed, so it is a sign and base-2³² magnitude.
public struct BigInteger: Sendable, Hashable, CustomStringConvertible {
    /// Little-endian limbs with no high zero limbs; zero is `[]` and never negative.
    private var limbs: [UInt32]
    public private(set) var isNegative: Bool

    public init() {
        limbs = []
        isNegative = false
    }

    /// Builds `value * multiplier + addend` in place.
    mutating func multiplyAdd(_ multiplier: UInt32, _ addend: UInt32) {
        var carry = UInt64(addend)
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(multiplier) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func negate(_ negative: Bool) {
        isNegative = negative && !limbs.isEmpty
    }

    /// The value as Int64 when it fits.
    public var int64Value: Int64? {
        guard limbs.count <= 2 else { return nil }
        let magnitude = limbs.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (32 * UInt64($1.offset)) }
        if isNegative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    public var doubleValue: Double {
        let magnitude = limbs.reversed().reduce(0.0) { $0 * 4_294_967_296.0 + Double($1) }
        return isNegative ? -magnitude : magnitude
    }

    /// Decimal digits with a leading `-` when negative.
    public var description: String {
        guard !limbs.isEmpty else { return "0" }
        var remaining = limbs
        var chunks: [UInt32] = []  // base 10⁹, least significant first
        while !remaining.isEmpty {
            var remainder: UInt64 = 0
            for index in remaining.indices.reversed() {
                let current = remainder << 32 | UInt64(remaining[index])
                remaining[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while remaining.last == 0 { remaining.removeLast() }
        }
        var text = isNegative ? "-" : ""
        text += String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }
}

extension BigInteger {
    /// A non-negative value from 64 bits.
    init(_ magnitude: UInt64) {
        self.init()
        multiplyAdd(1, UInt32(truncatingIfNeeded: magnitude >> 32))
        multiplyAdd(1 << 16, 0)
        multiplyAdd(1 << 16, UInt32(truncatingIfNeeded: magnitude))
    }
}
