import Testing
import VigilYAML

/// The typed JSON keeps every type visible: `15` and `15.0` and `"15"` stay three things.
@Suite struct TypedJSONTests {
    static func json(_ text: String) throws -> String {
        TypedJSON.encode(try #require(try YAMLParser.parse(text)).value, sortKeys: true)
    }

    @Test func scalarsKeepTheirTypes() throws {
        #expect(try Self.json("[15, 15.0, '15', yes, ~, 0x1F, 1.0e+3]") == #"[15,15.0,"15",true,null,31,1000.0]"#)
    }

    @Test func nonJSONValuesAreTagged() throws {
        #expect(try Self.json("[.nan, -.inf, 2001-12-14, 2001-12-14 21:59:43.10 -5, !!binary aGk=]")
            == #"[{"!float":".nan"},{"!float":"-.inf"},{"!date":"2001-12-14"},{"!timestamp":"2001-12-14T21:59:43.100000-05:00"},{"!binary":"aGk="}]"#)
    }

    @Test func mappingsWithNonStringKeysAreTaggedPairLists() throws {
        #expect(try Self.json("{1: a, b: c}") == #"{"!map":[[1,"a"],["b","c"]]}"#)
        #expect(try Self.json("{'!float': x}") == #"{"!map":[["!float","x"]]}"#)
        #expect(try Self.json("{b: 1, a: 2}") == #"{"a":2,"b":1}"#)
    }

    @Test func stringsAreEscaped() throws {
        #expect(try Self.json(#"["a\"b\\c\n\u0001é"]"#) == #"["a\"b\\c\n\u0001é"]"#)
    }
}
