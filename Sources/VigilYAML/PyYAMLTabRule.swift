import CYAML

/// PyYAML's scanner (the pure-Python one `safe_load` uses) skips only spaces between tokens, and
/// a plain scalar ends at a tab, so a tab anywhere but inside a quoted or block scalar or a
/// comment is "found character '\t' that cannot start any token". libyaml follows YAML 1.2
/// and accepts tabs in more places (`a: 1\t# c`, `{a: 1,\tb: 2}`, `a: x\ty`). To read exactly
/// what `safe_load` reads, Vigil refuses those tabs too. Checked only for files that contain
/// a tab, with one extra libyaml token pass to find where the quoted and block scalars are.
enum PyYAMLTabRule {
    private struct Span {
        var start: (line: Int, column: Int)
        var end: (line: Int, column: Int)
        func contains(_ line: Int, _ column: Int) -> Bool {
            (line, column) >= start && (line, column) < end
        }
    }

    /// The position of the first tab PyYAML would refuse, if any.
    static func firstRefusedTab(in source: UnsafeBufferPointer<UInt8>) -> Mark? {
        guard source.contains(0x09) else { return nil }
        let spans = scalarSpans(source)
        var line = 0, column = 0
        var inComment = false
        var previous: UInt8 = 0x0A
        var spanIndex = 0
        for byte in source {
            if byte == 0x0A {
                line += 1
                column = 0
                inComment = false
                previous = byte
                continue
            }
            let isContinuation = byte & 0xC0 == 0x80
            if !isContinuation {
                while spanIndex < spans.count, (line, column) >= spans[spanIndex].end { spanIndex += 1 }
                let inScalar = spanIndex < spans.count && spans[spanIndex].contains(line, column)
                if !inScalar, !inComment {
                    if byte == 0x23, previous == 0x0A || previous == 0x20 || previous == 0x09 || previous == 0x0D {
                        inComment = true
                    } else if byte == 0x09 {
                        return Mark(line: line + 1, column: column + 1)
                    }
                }
                column += 1
            }
            previous = byte
        }
        return nil
    }

    /// Where libyaml found quoted (single, double) and block (literal, folded) scalars.
    private static func scalarSpans(_ source: UnsafeBufferPointer<UInt8>) -> [Span] {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) != 0 else { return [] }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_input_string(parser, source.baseAddress!, source.count)
        var spans: [Span] = []
        var token = yaml_token_t()
        while yaml_parser_scan(parser, &token) != 0 {
            defer { yaml_token_delete(&token) }
            if token.type == YAML_STREAM_END_TOKEN { break }
            if token.type == YAML_SCALAR_TOKEN, token.data.scalar.style != YAML_PLAIN_SCALAR_STYLE {
                spans.append(Span(start: (Int(token.start_mark.line), Int(token.start_mark.column)),
                                  end: (Int(token.end_mark.line), Int(token.end_mark.column))))
            }
        }
        return spans
    }
}
