import Foundation
import Testing

@testable import CanonicalJSON

struct CanonicalJSONTests {
    @Test("RFC 8785 sorts members, drops white space and keeps integers integral")
    func canonicalObject() throws {
        let value = try JSONValue.parse(Data(#"{ "b": [1, 2.5, "x"], "a": {"z": null, "y": true}, "c": 1522 }"#.utf8))
        #expect(value.canonicalString == #"{"a":{"y":true,"z":null},"b":[1,2.5,"x"],"c":1522}"#)
    }

    @Test(
        "RFC 8785 number serialisation follows ECMAScript",
        arguments: [
            (0.0, "0"), (-0.0, "0"), (1.0, "1"), (0.5, "0.5"), (99.5, "99.5"), (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"), (0.000001, "0.000001"), (123.456, "123.456"), (-1.5e-9, "-1.5e-9"), (4.5e300, "4.5e+300"),
            (9007199254740991.0, "9007199254740991"), (333333333.33333329, "333333333.3333333"),
        ])
    func numbers(value: Double, expected: String) {
        #expect(JSONValue.ecmaScriptString(value) == expected)
    }

    @Test("RFC 8785 string escaping: minimal escapes, lower-case hex, UTF-8 kept literal")
    func strings() {
        let value: JSONValue = .string("a\"b\\c\n\u{01}é€/")
        #expect(value.canonicalString == "\"a\\\"b\\\\c\\n\\u0001é€/\"")
    }

    @Test("member names sort by UTF-16 code units, not by Unicode scalars")
    func utf16Ordering() {
        // U+FB01 (ﬁ) sorts after U+1F600 (😀, surrogates D83D…) in UTF-16 but before it in scalar order.
        let value: JSONValue = ["\u{FB01}": 1, "\u{1F600}": 2]
        #expect(value.canonicalString == "{\"\u{1F600}\":2,\"\u{FB01}\":1}")
        // The same after a shared prefix; ASCII names by byte (upper case first), a prefix before its extensions.
        let mixed: JSONValue = ["x\u{FB01}": 1, "x\u{1F600}": 2, "ab": 3, "a": 4, "B": 5, "x": 6, "é": 7]
        #expect(
            mixed.canonicalString
                == "{\"B\":5,\"a\":4,\"ab\":3,\"x\":6,\"x\u{1F600}\":2,\"x\u{FB01}\":1,\"é\":7}")
    }

    @Test("a decoded document encodes back to the same tree")
    func roundTrip() throws {
        let text = #"{"n":[1,-2,3.25,1e-7],"s":"ok","o":{"k":false},"z":null}"#
        let value = try JSONValue.parse(Data(text.utf8))
        let again = try JSONValue.parse(JSONEncoder().encode(value))
        #expect(again == value)
    }
}

struct JSONValueEncoderTests {
    struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable {
            let flag: Bool
            let list: [Int]
        }
        enum Color: String, Codable { case red }
        let name: String
        let count: Int
        let ratio: Double
        let missing: String?
        let inner: Inner
        let nested: [[String: Int]]
        let color: Color
        let raw: JSONValue
    }

    @Test("encoding straight to a tree gives what JSONEncoder and a parse give")
    func sameAsTextRoundTrip() throws {
        let sample = Sample(
            name: "x", count: 3, ratio: 0.5, missing: nil, inner: .init(flag: true, list: [1, 2]),
            nested: [["a": 1], [:]], color: .red, raw: ["@type": "urn:x", "n": [1, "two", nil]])
        let direct = try JSONValue(encoding: sample)
        let viaText = try JSONValue.parse(JSONEncoder().encode(sample))
        #expect(direct == viaText)
        #expect(direct["missing"] == nil)
        #expect(try direct.decode(Sample.self) == sample)
    }

    /// A large object, member by member, with a keyed container (synthesised `Codable` writes objects so).
    struct Wide: Encodable {
        let count: Int
        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for index in 0..<count { try container.encode(index, forKey: Key(stringValue: "m\(index)")) }
        }
    }

    // The encoder used to copy a container's storage whole at every element or member it added: 40,000 integers
    // took 14 s in a debug build, 200,000 would take minutes. Linear, both take well under a second.
    @Test(
        "a list of 200,000 elements and an object of 50,000 members encode whole, in linear time",
        .timeLimit(.minutes(1)))
    func largeContainers() throws {
        let list = try JSONValue(encoding: Array(0..<200_000))
        guard case .array(let elements) = list else {
            Issue.record("not an array: \(list)")
            return
        }
        #expect(elements.count == 200_000)
        #expect(elements[199_999] == .number(199_999))
        let object = try JSONValue(encoding: Wide(count: 50_000))
        guard case .object(let members) = object else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 50_000)
        #expect(members["m49999"] == .number(49_999))
    }
}

struct JSONParserTests {
    @Test("parses what JSONDecoder parses, escapes and surrogate pairs included")
    func agreesWithFoundation() throws {
        let text =
            #" { "a" : [ 1 , -0.5e2, 3E-2, true, false, null ], "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "o": {} , "e": [] } "#
        let ours = try JSONValue.parse(Data(text.utf8))
        let theirs = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == theirs)
        #expect(ours["s"]?.stringValue == "q\"\\/\u{8}\u{c}\n\r\té😀")
    }

    @Test(
        "refuses what is not JSON, saying where",
        arguments: [
            "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "tru", "\"abc", "\"a\u{01}\"", "{\"a\" 1}",
            "[1] x", "\"\\x\"", "\"\\ud800\"", "NaN", "{a:1}",
        ])
    func refuses(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test("an error names the byte where the text stops being JSON")
    func errorOffset() {
        #expect(throws: JSONParseError(offset: 6, reason: "expected ',' or ']'")) {
            try JSONValue.parse(Data("[1, 2 3]".utf8))
        }
    }
}

struct ExactlyTypedDecodingTests {
    /// Every kind, and the look-alikes a looser decoder could confuse: numeric and boolean strings, 0 and 1.
    static let document = #"""
        {"s": "text", "n": "123", "t": "true", "zero": 0, "one": 1, "pi": 3.25, "big": 1e300, "neg": -7,
         "yes": true, "no": false, "none": null, "list": [1, "1", true, null, {"k": [[]]}], "empty": {},
         "nested": {"a": {"b": ["x", 2.5, false]}}}
        """#

    @Test("JSON decoded with JSONDecoder.exactlyTyped() is the same JSONValue as with a plain JSONDecoder")
    func sameValues() throws {
        let data = Data(Self.document.utf8)
        let plain = try JSONDecoder().decode(JSONValue.self, from: data)
        let fast = try JSONDecoder.exactlyTyped().decode(JSONValue.self, from: data)
        #expect(fast == plain)
        #expect(fast["n"] == .string("123"))
        #expect(fast["t"] == .string("true"))
        #expect(fast["one"] == .number(1))
        #expect(fast["yes"] == .bool(true))
        #expect(fast["none"] == .null)
        #expect(fast == (try JSONParser.parse(data, maximumDepth: 64)))
    }
}

struct TreeEncodingTests {
    private struct Widths: Encodable {
        let int8: Int8 = -8, int16: Int16 = 16, int32: Int32 = -32, int64: Int64 = 64, uint: UInt = 1
        let uint8: UInt8 = 8, uint16: UInt16 = 16, uint32: UInt32 = 32, uint64: UInt64 = 9_007_199_254_740_992
        let float: Float = 0.1, list: [UInt32] = [1, 2], data = Data([0, 1, 254, 255])
        let decimal = Decimal(string: "12.25")!
        let url = URL(string: "https://seller.example/listener?x=1")!
    }

    @Test("every integer width, Data and URL encode to the tree JSONEncoder's text parses to")
    func widthsLikeJSONEncoder() throws {
        let expected = try JSONValue.parse(try JSONEncoder().encode(Widths()))
        #expect(try JSONValue(encoding: Widths()) == expected)
        #expect(try JSONValue(exactlyEncoding: Widths()) == expected)
        #expect(expected["data"] == "AAH+/w==")
        #expect(expected["float"] == 0.1)
        #expect(expected["url"] == "https://seller.example/listener?x=1")
    }

    @Test("an integer beyond 2^53 has no exact tree: exactlyEncoding refuses it, encoding rounds it")
    func beyondDoublePrecision() throws {
        struct Big: Encodable { let value: Int64 }
        #expect(throws: EncodingError.self) { try JSONValue(exactlyEncoding: Big(value: 9_007_199_254_740_993)) }
        #expect(throws: EncodingError.self) { try JSONValue(exactlyEncoding: [UInt64.max]) }
        #expect(throws: EncodingError.self) {
            try JSONValue(exactlyEncoding: [Decimal(string: "0.1000000000000000000001")!])
        }
        #expect(try JSONValue(exactlyEncoding: Big(value: -9_007_199_254_740_992)) == ["value": -9_007_199_254_740_992])
        #expect(try JSONValue(encoding: Big(value: 9_007_199_254_740_993)) == ["value": 9_007_199_254_740_992])
    }
}

struct TreeDecodingWidthTests {
    private struct Lists: Decodable, Equatable {
        let small: [Int8], unsigned: [UInt32], floats: [Float], flags: [Bool], names: [String], maybe: [Int?]
    }

    @Test("arrays of every kind decode from the tree as JSONDecoder decodes the text, and a misfit fails at its index")
    func arraysLikeJSONDecoder() throws {
        let tree: JSONValue = [
            "small": [-8, 7], "unsigned": [32, 4_000_000_000], "floats": [0.5, 0.1], "flags": [true, false],
            "names": ["a", "b/c"], "maybe": [1, nil, 3],
        ]
        let expected = try JSONDecoder().decode(Lists.self, from: tree.canonicalData)
        #expect(try tree.decode(Lists.self) == expected)
        let misfit: JSONValue = [
            "small": [1, 300], "unsigned": [], "floats": [], "flags": [], "names": [], "maybe": [],
        ]
        #expect {
            try misfit.decode(Lists.self)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["small", "1"]
        }
    }
}
