/// The Nagios plugin output convention (Nagios Plugin Development Guidelines): the first line
/// is `TEXT | PERFDATA`; later lines are long text, until a line with `|`, after which
/// everything is more perfdata.
struct NagiosOutput: Equatable {
    var message: String
    var longText: [String]
    var perfData: [PerfDatum]

    /// Control characters (a stray `\r`, escape sequences) shown as spaces: messages go into
    /// logs, status and the journal, one line each.
    static func printable(_ line: String) -> String {
        guard line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return line }
        return String(String.UnicodeScalarView(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    init(_ text: String) {
        // "\r\n" is one Character in Swift: split on both, or CRLF output is one long line.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { Self.printable(String($0)) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let first = lines.first ?? ""
        var perfText = ""
        if let bar = first.firstIndex(of: "|") {
            message = first[..<bar].trimmingCharacters(in: .whitespaces)
            perfText = String(first[first.index(after: bar)...])
        } else {
            message = first.trimmingCharacters(in: .whitespaces)
        }
        longText = []
        var inPerf = false
        for line in lines.dropFirst() {
            if inPerf {
                perfText += " " + line
            } else if let bar = line.firstIndex(of: "|") {
                let text = line[..<bar].trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { longText.append(text) }
                perfText += " " + line[line.index(after: bar)...]
                inPerf = true
            } else {
                longText.append(line)
            }
        }
        perfData = PerfDatum.parseAll(perfText)
    }
}

/// One `'label'=value[UOM];[warn];[crit];[min];[max]` item.
struct PerfDatum: Equatable {
    var label: String
    var value: Double
    var unit: String

    /// The value in base units (seconds, bytes), and whether it is a counter (`c`).
    var normalized: (value: Double, isCounter: Bool) {
        switch unit {
        case "s": return (value, false)
        case "ms": return (value / 1e3, false)
        case "us": return (value / 1e6, false)
        case "B": return (value, false)
        case "KB", "kB": return (value * 1024, false)
        case "MB": return (value * 1_048_576, false)
        case "GB": return (value * 1_073_741_824, false)
        case "TB": return (value * 1_099_511_627_776, false)
        case "c": return (value, true)
        default: return (value, false)  // "%" and unitless stay as they are
        }
    }

    static func parseAll(_ text: String) -> [PerfDatum] {
        var data: [PerfDatum] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard !rest.isEmpty else { return data }
            var label = ""
            if rest.first == "'" {
                // Quoted label; '' is a quote inside it.
                var index = rest.index(after: rest.startIndex)
                while index < rest.endIndex {
                    if rest[index] == "'" {
                        let next = rest.index(after: index)
                        if next < rest.endIndex, rest[next] == "'" {
                            label.append("'")
                            index = rest.index(after: next)
                            continue
                        }
                        index = next
                        break
                    }
                    label.append(rest[index])
                    index = rest.index(after: index)
                }
                rest = rest[index...]
            } else {
                // An unquoted label ends at `=`; a space before it means this word is not perfdata.
                let end = rest.firstIndex { $0 == "=" || $0 == " " || $0 == "\t" } ?? rest.endIndex
                label = String(rest[..<end])
                rest = rest[end...]
            }
            guard rest.first == "=" else {
                // Not perfdata: skip the word.
                rest = rest.drop { $0 != " " }
                continue
            }
            rest = rest.dropFirst()
            let item = rest.prefix { $0 != " " && $0 != "\t" }
            rest = rest[item.endIndex...]
            let valueAndUnit = item.prefix { $0 != ";" }
            let number = valueAndUnit.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
            // "U" means the value could not be determined.
            guard let value = Double(number), value.isFinite else { continue }
            data.append(PerfDatum(label: label, value: value, unit: String(valueAndUnit.dropFirst(number.count))))
        }
    }
}

import Foundation
