// Semantic equality: what a check would see, not how the file spelled it. Positions are ignored,
// mappings and sets compare without regard to order, and floats compare by value with every NaN
// equal to every other NaN and -0.0 equal to 0.0 (the digest treats them the same way).

extension ConfigValue: Equatable {
    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.bigInt(a), .bigInt(b)): return a == b
        case let (.float(a), .float(b)): return a == b || (a.isNaN && b.isNaN)
        // Code points, as Python compares; Swift's == would equate canonically equivalent text.
        case let (.string(a), .string(b)): return a.utf8.elementsEqual(b.utf8)
        case let (.binary(a), .binary(b)): return a == b
        case let (.timestamp(a), .timestamp(b)): return a == b
        case let (.sequence(a), .sequence(b)): return a == b
        case let (.pairs(a), .pairs(b)): return a == b
        case let (.mapping(a), .mapping(b)):
            return a.count == b.count && a.allSatisfy { pair in
                b.contains { $0.key == pair.key && $0.value == pair.value }
            }
        case let (.set(a), .set(b)):
            return a.count == b.count && a.allSatisfy { b.contains($0) }
        default: return false
        }
    }
}

extension ConfigNode: Equatable {
    public static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool { lhs.value == rhs.value }
}

extension ConfigPair: Equatable {
    public static func == (lhs: ConfigPair, rhs: ConfigPair) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }
}
