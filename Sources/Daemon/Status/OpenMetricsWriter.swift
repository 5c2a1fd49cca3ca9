/// Writes an OpenMetrics text exposition family by family: `# TYPE` (and `# HELP`, `# UNIT`)
/// once, then the family's samples, then `# EOF`. A family whose names would clash with one
/// already written (`foo_total` as a gauge after the counter `foo`) is left out, so the
/// output always parses; `written` says whether it went in.
struct OpenMetricsWriter {
    enum Kind: String {
        case gauge, counter, histogram

        /// The sample names a family of this kind owns (as prometheus_client's parser counts them).
        var suffixes: [String] {
            switch self {
            case .gauge: return [""]
            case .counter: return ["", "_total", "_created"]
            case .histogram: return ["", "_bucket", "_count", "_sum", "_created"]
            }
        }
    }

    typealias Labels = [(name: String, value: String)]

    struct Sample {
        /// Appended to the family name: `_total` for a counter, `_bucket`, `_count`, `_sum`.
        var suffix: String = ""
        var labels: Labels = []
        var value: Double
    }

    private var out = ""
    private var taken: Set<String> = []

    /// - Returns: false when the family clashed with an earlier one and was left out.
    @discardableResult
    mutating func family(_ name: String, _ kind: Kind, help: String? = nil, unit: String? = nil, samples: [Sample]) -> Bool {
        let names = kind.suffixes.map { name + $0 }
        guard names.allSatisfy({ !taken.contains($0) }) else { return false }
        taken.formUnion(names)
        out += "# TYPE \(name) \(kind.rawValue)\n"
        if let help {
            out += "# HELP \(name) \(help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n"))\n"
        }
        if let unit { out += "# UNIT \(name) \(unit)\n" }
        for sample in samples {
            out += name + sample.suffix
            if !sample.labels.isEmpty {
                out += "{"
                for (index, label) in sample.labels.enumerated() {
                    if index > 0 { out += "," }
                    out += "\(label.name)=\"\(OpenMetrics.escape(label.value))\""
                }
                out += "}"
            }
            out += " \(OpenMetrics.value(sample.value))\n"
        }
        return true
    }

    /// The exposition, ending with `# EOF`.
    func finished() -> String { out + "# EOF\n" }
}
