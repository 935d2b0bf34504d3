import Foundation
import Testing

@testable import CanonicalJSON

/// `JSONValue.isCanonical`: the auditor's check that a body or refs column is RFC 8785 canonical, settled in one
/// pass where it can and the long way (parse, serialise, compare) where it cannot.
struct CanonicalCheckTests {
    /// Texts and whether RFC 8785 calls them canonical (the expectation written from the standard, not computed).
    static let cases: [(text: String, canonical: Bool)] = [
        (#"{}"#, true), (#"[]"#, true), (#"null"#, true), (#"true"#, true), (#"0"#, true), (#""""#, true),
        (#"{"a":1,"b":[true,false,null],"c":{"d":"x"}}"#, true),
        (#"{"price":{"unit":"EUR","value":1234.5},"qty":3}"#, true),
        (#"[1,-2,0.5,1e+21,1e-7,100000000000000000000,9007199254740991]"#, true),
        (#"{"name":"Zürich – Genève"}"#, true),
        (#"{"a":1,"a":1}"#, false),  // a duplicate member name does not parse (I-JSON)
        (#"{"b":1,"a":2}"#, false),  // members out of order
        (#"{"a": 1}"#, false), (#" {}"#, false), (#"[1, 2]"#, false),  // white space
        (#"1.0"#, false), (#"1E3"#, false), (#"1e3"#, false), (#"-0"#, false), (#"0.10"#, false), (#"01"#, false),
        (#"1e21"#, false), (#"1."#, false), (#".5"#, false), (#"+1"#, false),
        (#""a\/b""#, false), (#""\u0041""#, false), (#""\u001F""#, false),  // escapes RFC 8785 does not write
        (#""a\"b\\c\n""#, true), (#""\u001f""#, true),  // the escapes it does write
        (#"{"a":1}x"#, false), (#"{"a":1"#, false), (#"tru"#, false), (#"nul"#, false), (#""#, false),
        // RFC 8785 §3.2.3 sorts by UTF-16 code units: U+10000 (surrogates D800 DC00) before U+E000.
        ("{\"\u{10000}\":1,\"\u{E000}\":2}", true), ("{\"\u{E000}\":1,\"\u{10000}\":2}", false),
        (#"{"a":1,"é":2}"#, true), (#"{"é":1,"a":2}"#, false), (#"{"ab":1,"abc":2}"#, true),
        (#"{"abc":1,"ab":2}"#, false),
    ]

    @Test("RFC 8785: canonical texts are told from texts that are not, whichever pass settles them")
    func canonicalOrNot() {
        for (text, canonical) in Self.cases {
            #expect(JSONValue.isCanonical(text) == canonical, "\(text)")
        }
    }

    @Test("The quick pass settles only canonical texts, and settles the plain ones")
    func quickPassIsSound() throws {
        for (text, canonical) in Self.cases where !canonical {
            #expect(!JSONValue.settlesAsCanonical(text), "\(text)")
        }
        // What the ledger's bodies mostly are: ASCII members, strings without escapes, integers and decimals.
        for text in [
            #"{"a":1,"b":[true,false,null],"c":{"d":"x"}}"#, #"{"price":{"unit":"EUR","value":1234.5},"qty":3}"#,
            #"{"name":"Zürich – Genève"}"#,
        ] {
            #expect(JSONValue.settlesAsCanonical(text), "\(text)")
        }
    }

    @Test("Every MEF POQ example, canonicalised, is canonical; pretty-printed, it is not")
    func mefExamples() throws {
        // The MEF Sonata SDK's examples, as the Sonata tests keep them.
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../SonataTests/Fixtures").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
        var checked = 0
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let value = try JSONValue.parse(data)
            let canonical = value.canonicalString
            #expect(JSONValue.isCanonical(canonical), "\(file)")
            let pretty = try JSONSerialization.data(
                withJSONObject: JSONSerialization.jsonObject(with: data), options: [.prettyPrinted])
            #expect(!JSONValue.isCanonical(String(decoding: pretty, as: UTF8.self)), "\(file)")
            checked += 1
        }
        #expect(checked == files.count)
        #expect(checked >= 20)
    }

    @Test("Nesting at the parser's bound is decided the long way, the same as below it")
    func deepNesting() {
        let deep =
            String(repeating: "[", count: JSONValue.maximumDepth)
            + String(repeating: "]", count: JSONValue.maximumDepth)
        let tooDeep = "[" + deep + "]"
        #expect(JSONValue.isCanonical(deep))
        #expect(!JSONValue.isCanonical(tooDeep))
    }
}
