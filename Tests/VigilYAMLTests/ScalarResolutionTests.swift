import Testing
import VigilYAML

/// Plain scalars typed exactly as PyYAML's YAML 1.1 resolver types them (the differential test
/// checks the same against PyYAML itself; these tables keep the quirks readable).
@Suite struct ScalarResolutionTests {
    static func value(_ scalar: String) throws -> ConfigValue {
        let node = try YAMLParser.parse("v: \(scalar)\n")
        return try #require(node?.value["v"]).value
    }

    @Test(arguments: [
        ("~", ConfigValue.null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null),
        ("nUll", .string("nUll")), ("'~'", .string("~")), ("\"\"", .string("")),
    ])
    func nulls(_ scalar: String, _ expected: ConfigValue) throws {
        #expect(try Self.value(scalar) == expected)
    }

    @Test(arguments: [
        ("yes", true), ("Yes", true), ("YES", true), ("on", true), ("ON", true), ("true", true), ("True", true),
        ("no", false), ("No", false), ("off", false), ("Off", false), ("false", false), ("FALSE", false),
    ])
    func yaml11Booleans(_ scalar: String, _ expected: Bool) throws {
        #expect(try Self.value(scalar) == .bool(expected))
    }

    @Test(arguments: ["y", "n", "yES", "tRUE", "'yes'", "\"on\""])
    func notBooleans(_ scalar: String) throws {
        guard case .string = try Self.value(scalar) else {
            Issue.record("\(scalar) should stay a string")
            return
        }
    }

    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("+42", 42), ("1_000", 1000), ("0b1010", 10), ("-0b11", -3),
        ("017", 15), ("0_17", 15), ("0x1F", 31), ("0xff_ff", 65535), ("-0x10", -16),
        ("190:20:30", 685_230), ("-1:30", -90), ("1:5:3", 3903),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
    ])
    func integers(_ scalar: String, _ expected: Int64) throws {
        #expect(try Self.value(scalar) == .int(expected))
    }

    @Test func integersBeyond64BitsStayExact() throws {
        guard case .bigInt(let big) = try Self.value("123456789012345678901234567890") else {
            Issue.record("expected a big integer")
            return
        }
        #expect(big.description == "123456789012345678901234567890")
        guard case .bigInt(let hex) = try Self.value("-0xFFFFFFFFFFFFFFFFFF") else {
            Issue.record("expected a big integer")
            return
        }
        #expect(hex.description == "-4722366482869645213695")
    }

    @Test(arguments: [
        ("1.0", 1.0), ("-1.5", -1.5), ("1.", 1.0), (".5", 0.5), ("1.0e+3", 1000.0), ("1.0E-2", 0.01),
        ("1_000.5", 1000.5), ("190:20:30.15", 685_230.15), ("1:30.5", 90.5), ("5.0e-324", Double.leastNonzeroMagnitude),
    ])
    func floats(_ scalar: String, _ expected: Double) throws {
        #expect(try Self.value(scalar) == .float(expected))
    }

    @Test func specialFloats() throws {
        #expect(try Self.value(".inf") == .float(.infinity))
        #expect(try Self.value("-.Inf") == .float(-.infinity))
        #expect(try Self.value("+.INF") == .float(.infinity))
        guard case .float(let nan) = try Self.value(".NaN"), nan.isNaN else {
            Issue.record(".NaN should be a NaN float")
            return
        }
    }

    /// PyYAML's float needs a dot and a signed exponent; `0o` is YAML 1.2 octal, not 1.1.
    @Test(arguments: ["1e3", "1.0e3", "1e+3", "-.5", "+.5", "-.nan", "0o17", "08", "0x", "1:60", "12:34:56:78",
                      "1.2.3", "2001-13-01x", "2001-1-2", "0b"])
    func pyyamlQuirksThatStayStrings(_ scalar: String) throws {
        #expect(try Self.value(scalar) == .string(scalar))
    }

    @Test func timestamps() throws {
        guard case .timestamp(let date) = try Self.value("2001-12-14") else {
            Issue.record("expected a date")
            return
        }
        #expect(date.time == nil)
        #expect(date.isoFormat == "2001-12-14")

        let cases = [
            ("2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.100000-05:00"),
            ("2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43.100000-05:00"),
            ("2001-12-15T02:59:43.1Z", "2001-12-15T02:59:43.100000+00:00"),
            ("2001-12-15 2:59:43.10", "2001-12-15T02:59:43.100000"),
            ("2001-12-14 21:59:43.1234567 +05:30", "2001-12-14T21:59:43.123456+05:30"),
            ("2002-12-14T00:00:00", "2002-12-14T00:00:00"),
        ]
        for (scalar, iso) in cases {
            guard case .timestamp(let t) = try Self.value(scalar) else {
                Issue.record("\(scalar) should be a timestamp")
                continue
            }
            #expect(t.isoFormat == iso, "\(scalar)")
        }
    }

    @Test func quotedScalarsAreAlwaysStrings() throws {
        #expect(try Self.value("\"123\"") == .string("123"))
        #expect(try Self.value("'1.5'") == .string("1.5"))
        #expect(try Self.value("\"2001-12-14\"") == .string("2001-12-14"))
    }

    @Test func explicitTagsConstructFromText() throws {
        #expect(try Self.value("!!str 123") == .string("123"))
        #expect(try Self.value("!!int \"0o17\"") == .int(15))
        #expect(try Self.value("!!float \"1e3\"") == .float(1000))
        #expect(try Self.value("!!bool \"YeS\"") == .bool(true))
        #expect(try Self.value("!!null anything") == .null)
        #expect(try Self.value("!!binary aGVsbG8=") == .binary(Array("hello".utf8)))
        // The non-specific tag `!` makes PyYAML resolve as if plain.
        #expect(try Self.value("! 12") == .int(12))
    }
}
