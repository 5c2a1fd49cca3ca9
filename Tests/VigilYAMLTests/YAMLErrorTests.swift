import Testing
import VigilYAML

/// Every class of YAML error comes back with its code and the line and column to look at.
@Suite struct YAMLErrorTests {
    static func error(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
        do {
            _ = try YAMLParser.parse(text, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static func error(bytes: [UInt8]) -> YAMLError? {
        do {
            _ = try YAMLParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func syntaxErrorPointsAtTheProblem() throws {
        let error = try #require(Self.error("a: 1\nb: [1, 2\nc: 3\n"))
        #expect(error.code == .syntax)
        #expect(error.mark?.line == 3)
        #expect(error.message.contains("while parsing a flow sequence"))
    }

    @Test func tabIndentationSaysSo() throws {
        let error = try #require(Self.error("a: 1\n\tb: 2\n"))
        #expect(error.code == .syntax)
        #expect(error.mark == Mark(line: 2, column: 1))
        #expect(error.message.contains("tab character"))
    }

    @Test func duplicateKeyNamesBothLines() throws {
        let error = try #require(Self.error("init_config:\ninstances:\n  - host: a\n    port: 1\n    port: 2\n"))
        #expect(error.code == .duplicateKey)
        #expect(error.mark == Mark(line: 5, column: 5))
        #expect(error.message == "duplicate key 'port' (first defined at line 4, column 5)")
    }

    @Test func duplicateNonStringKeyIsFound() throws {
        let error = try #require(Self.error("1: a\n2: b\n1: c\n"))
        #expect(error.code == .duplicateKey)
        #expect(error.mark?.line == 3)
    }

    @Test func mergedKeysOverriddenByOwnKeysAreNotDuplicates() throws {
        #expect(Self.error("base: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n") == nil)
    }

    @Test(arguments: [("a: !foo bar\n", "!foo"), ("a: !!python/tuple [1]\n", "!!python/tuple"), ("a: !!str [1]\n", "!!str")])
    func unknownTagIsNamed(_ text: String, _ tag: String) throws {
        let error = try #require(Self.error(text))
        #expect(error.code == .unknownTag)
        #expect(error.mark?.line == 1)
        #expect(error.message.contains(tag))
    }

    @Test func invalidUTF8HasItsLineAndColumn() throws {
        let bytes = Array("a: 1\nbé: x".utf8) + [0xFF, 0x0A]
        let error = try #require(Self.error(bytes: bytes))
        #expect(error.code == .invalidEncoding)
        #expect(error.message.contains("not valid UTF-8"))
        #expect(error.mark?.line == 2)
    }

    @Test func controlCharacterIsRefused() throws {
        let error = try #require(Self.error("a: \u{01}\n"))
        #expect(error.code == .invalidEncoding)
        #expect(error.message.contains("U+0001"))
        #expect(error.mark == Mark(line: 1, column: 4))
    }

    @Test func fileOverTheSizeCapIsRefusedWithoutParsing() throws {
        let big = "a: " + String(repeating: "x", count: 5000) + "\n"
        let error = try #require(Self.error(big, limits: YAMLLimits(maxBytes: 4096)))
        #expect(error.code == .fileTooLarge)
        #expect(error.mark == nil)
        #expect(error.message == "file is 5,004 bytes, over the 4 KiB (4,096 bytes) limit")
    }

    /// The "billion laughs": nine levels of nine aliases would expand to ~387 million nodes.
    @Test func billionLaughsFailsAtTheNodeCap() throws {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = Array("abcdefghi")
        for index in 1..<names.count {
            let previous = names[index - 1]
            let refs = Array(repeating: "*\(previous)", count: 9).joined(separator: ",")
            text += "\(names[index]): &\(names[index]) [\(refs)]\n"
        }
        let error = try #require(Self.error(text))
        #expect(error.code == .tooManyNodes)
        #expect(error.message == "aliases expand to more than 100000 nodes; refusing the document")
        // It stops on the line that crosses the cap (level f: 9^5 * 10 > 100,000), not at the end.
        #expect(error.mark?.line == 6)
    }

    @Test func nodeCapCountsWhatAliasesStandFor() throws {
        // Four nodes behind the anchor, used twice: eight through aliases.
        let text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        #expect(Self.error(text, limits: YAMLLimits(maxNodes: 8)) == nil)
        let error = try #require(Self.error(text, limits: YAMLLimits(maxNodes: 7)))
        #expect(error.code == .tooManyNodes)
        #expect(error.mark == Mark(line: 2, column: 9))
        // Literal nodes are bounded by the file size, not by the node cap.
        #expect(Self.error("[" + Array(repeating: "1", count: 20).joined(separator: ",") + "]", limits: YAMLLimits(maxNodes: 4)) == nil)
    }

    @Test func keysPythonConsidersEqualAreDuplicates() throws {
        #expect(Self.error("{1: x, true: y}")?.code == .duplicateKey)
        #expect(Self.error("{1: x, 1.0: y}")?.code == .duplicateKey)
        #expect(Self.error("{0: x, false: y}")?.code == .duplicateKey)
        #expect(Self.error("{2001-12-14 21:59:43 -5: x, 2001-12-15 02:59:43 Z: y}")?.code == .duplicateKey)
        // Python compares strings by code point: precomposed and decomposed é are two keys.
        #expect(Self.error("{\"\\u00e9\": a, \"e\\u0301\": b}") == nil)
        // Naive timestamps compare by their fields; a date is not a datetime.
        #expect(Self.error("{2001-12-14: a, 2001-12-14 00:00:00: b}") == nil)
    }

    @Test func manyNonStringKeysStayLinear() throws {
        // 50,000 integer keys: a linear scan per key would make this quadratic.
        let text = "{" + (0..<50_000).map { "\($0): 0" }.joined(separator: ", ") + "}"
        let value = try #require(try YAMLParser.parse(text)).value
        guard case .mapping(let pairs) = value else {
            Issue.record("expected a mapping")
            return
        }
        #expect(pairs.count == 50_000)
    }

    @Test(arguments: ["a:\t1\n", "a: 1\t# c\n", "a: x\ty\n", "a: 1\t\n", "{a: 1,\tb: 2}\n", "[1,\n\t2]\n"])
    func tabsPyYAMLRefusesAreRefused(_ text: String) throws {
        let error = try #require(Self.error(text))
        #expect(error.code == .syntax)
        #expect(error.message.hasPrefix("found a tab character"))
    }

    @Test func tabsInQuotesBlockScalarsAndCommentsAreFine() throws {
        let value = try #require(try YAMLParser.parse("q: \"a\tb\"\nb: |\n  x\ty\nc: 1 # a\tcomment\n")).value
        #expect(value["q"]?.value == .string("a\tb"))
        #expect(value["b"]?.value == .string("x\ty\n"))
        #expect(value["c"]?.value == .int(1))
    }

    @Test func deepNestingIsRefused() throws {
        let text = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let error = try #require(Self.error(text))
        #expect(error.code == .tooDeep)
    }

    @Test func secondDocumentIsRefused() throws {
        let error = try #require(Self.error("a: 1\n---\nb: 2\n"))
        #expect(error.code == .multipleDocuments)
        #expect(error.mark?.line == 2)
    }

    @Test func aliasErrors() throws {
        #expect(Self.error("a: *nope\n")?.code == .undefinedAlias)
        #expect(Self.error("a: &a [*a]\n")?.code == .recursiveAlias)
        let duplicate = try #require(Self.error("a: &x 1\nb: &x 2\n"))
        #expect(duplicate.code == .duplicateAnchor)
        #expect(duplicate.message.contains("line 1"))
    }

    @Test func unhashableKeys() throws {
        #expect(Self.error("[a]: 1\n")?.code == .unhashableKey)
        #expect(Self.error("{[a]: 1}\n")?.code == .unhashableKey)
    }

    @Test func invalidMerges() throws {
        #expect(Self.error("a: 1\n<<: 5\n")?.code == .invalidMerge)
        #expect(Self.error("a: 1\n<<: [1]\n")?.code == .invalidMerge)
    }

    @Test func invalidValuesForTheirTags() throws {
        let badInt = try #require(Self.error("a: !!int abc\n"))
        #expect(badInt.code == .invalidValue)
        #expect(badInt.mark == Mark(line: 1, column: 4))
        #expect(Self.error("a: 2001-02-30\n")?.code == .invalidValue)
        #expect(Self.error("a: !!timestamp 2001-13-01\n")?.message.contains("month") == true)
        #expect(Self.error("a: 0x_\n")?.code == .invalidValue)
        // PyYAML has no constructor for `=` outside a key, nor for `<<` as a value.
        #expect(Self.error("a: =\n")?.code == .unknownTag)
        #expect(Self.error("a: <<\n")?.code == .unknownTag)
    }

    @Test func emptyStreamIsNoDocument() throws {
        #expect(try YAMLParser.parse("") == nil)
        #expect(try YAMLParser.parse("# only a comment\n") == nil)
        #expect(try YAMLParser.parse("---\n")?.value == .null)
    }
}
