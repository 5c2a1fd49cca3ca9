import CYAML

/// Turns libyaml's parser error fields into a ``YAMLError`` with a 1-based position and a
/// message an operator can act on.
enum LibYAMLDiagnostics {
    static func error(from parser: yaml_parser_t, source: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        switch parser.error {
        case YAML_READER_ERROR:
            // Reader errors carry a byte offset instead of a mark.
            let mark = position(ofByte: parser.problem_offset, in: source)
            return YAMLError(.invalidEncoding, readerMessage(problem, value: parser.problem_value), at: mark)
        case YAML_MEMORY_ERROR:
            return YAMLError(.syntax, "libyaml ran out of memory", at: nil)
        default:
            let mark = Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
            var message = problem
            if problem == "found character that cannot start any token" {
                message = describeUnstartable(at: mark, in: source)
            }
            if let context = parser.context.map({ String(cString: $0) }) {
                let contextMark = Mark(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
                if contextMark != mark {
                    message += " (\(context) at line \(contextMark.line), column \(contextMark.column))"
                } else {
                    message += " (\(context))"
                }
            }
            return YAMLError(.syntax, message, at: mark)
        }
    }

    private static func readerMessage(_ problem: String, value: Int32) -> String {
        if problem.contains("UTF-8") || problem.contains("UTF-16") {
            let byte = value >= 0 ? String(format: " (byte 0x%02X)", value) : ""
            return "file is not valid UTF-8: \(problem)\(byte)"
        }
        if problem == "control characters are not allowed", value >= 0 {
            return "control character U+\(String(format: "%04X", value)) is not allowed in YAML"
        }
        return problem
    }

    /// libyaml's "found character that cannot start any token" without naming the character;
    /// tabs are by far the most common cause, so say so.
    private static func describeUnstartable(at mark: Mark, in source: UnsafeBufferPointer<UInt8>) -> String {
        guard let character = character(at: mark, in: source) else {
            return "found character that cannot start any token"
        }
        if character == "\t" {
            return "found a tab character that cannot start any token (YAML indentation and separation must use spaces)"
        }
        return "found character '\(character)' that cannot start any token"
    }

    /// The character at a 1-based line and column (columns count characters).
    static func character(at mark: Mark, in source: UnsafeBufferPointer<UInt8>) -> Character? {
        var line: Int32 = 1
        var index = 0
        while line < mark.line, index < source.count {
            if source[index] == 0x0A { line += 1 }
            index += 1
        }
        var column: Int32 = 1
        while column < mark.column, index < source.count {
            index += utf8Width(source[index])
            column += 1
        }
        guard index < source.count else { return nil }
        let end = min(source.count, index + utf8Width(source[index]))
        return String(decoding: UnsafeBufferPointer(rebasing: source[index..<end]), as: UTF8.self).first
    }

    /// 1-based line and column of a byte offset, counting columns in characters.
    static func position(ofByte offset: Int, in source: UnsafeBufferPointer<UInt8>) -> Mark {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, source.count)
        while index < end {
            let byte = source[index]
            if byte == 0x0A {
                line += 1
                column = 1
                index += 1
            } else {
                column += 1
                index += max(1, utf8Width(byte))
            }
        }
        return Mark(line: line, column: column)
    }

    private static func utf8Width(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
