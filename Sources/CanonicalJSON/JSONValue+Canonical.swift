import Foundation

/// RFC 8785 (JSON Canonicalization Scheme) serialisation: the byte string every ledger hash is taken over.
///
/// Object members sorted by the UTF-16 code units of their names, no insignificant white space, strings
/// escaped with the minimal JSON escapes (lower-case `\u00xx` for other control characters), numbers in
/// the ECMAScript `Number.prototype.toString` form. Any JCS library in any language reproduces these bytes.
extension JSONValue {
    /// The canonical UTF-8 bytes of this value.
    public var canonicalData: Data {
        var out = [UInt8]()
        out.reserveCapacity(256)
        writeCanonical(into: &out)
        return Data(out)
    }

    /// The canonical form as a string.
    public var canonicalString: String {
        String(decoding: canonicalData, as: UTF8.self)
    }

    func writeCanonical(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): out.append(contentsOf: JSONValue.ecmaScriptString(value).utf8)
        case .string(let value): JSONValue.writeString(value, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.sorted { JSONValue.precedesInUTF16($0.key, $1.key) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// True when `a` sorts before `b` by UTF-16 code units, RFC 8785's member order. UTF-8 bytes compare like
    /// code points, and code points like UTF-16 units except where one above U+FFFF meets one at or above U+E000;
    /// so where the names first differ in two ASCII bytes the bytes decide, and only otherwise are the UTF-16
    /// units compared (names are almost always ASCII: this is on the path of every ledger entry's hash).
    static func precedesInUTF16(_ a: String, _ b: String) -> Bool {
        var first = a.utf8.makeIterator()
        var second = b.utf8.makeIterator()
        while true {
            switch (first.next(), second.next()) {
            case (nil, nil): return false
            case (nil, _?): return true
            case (_?, nil): return false
            case (let x?, let y?) where x == y: continue
            case (let x?, let y?) where x < 0x80 && y < 0x80: return x < y
            default: return a.utf16.lexicographicallyPrecedes(b.utf16)
            }
        }
    }

    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out.append(contentsOf: string.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// ECMAScript `Number::toString(x)` (ECMA-262 §6.1.6.1.20), built on Swift's shortest round-trip digits.
    public static func ecmaScriptString(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return "null" }  // JCS forbids them; never produced by a decoder
        if value == 0 { return "0" }
        if value < 0 { return "-" + ecmaScriptString(-value) }
        // Swift's description gives the shortest digits that round-trip: "1522.0", "0.5", "1e-07", "1.5e+20".
        let description = value.description
        var mantissa = description
        var exponent = 0
        if let eIndex = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(description[..<eIndex])
            exponent = Int(description[description.index(after: eIndex)...])!
        }
        var integerPart = mantissa
        var fractionPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = String(mantissa[..<dot])
            fractionPart = String(mantissa[mantissa.index(after: dot)...])
        }
        // digits d1…dk and n such that value = 0.d1…dk × 10^n
        var digits = integerPart + fractionPart
        var n = integerPart.count + exponent
        while digits.hasPrefix("0") {
            digits.removeFirst()
            n -= 1
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        let k = digits.count
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let cut = digits.index(digits.startIndex, offsetBy: n)
            return digits[..<cut] + "." + digits[cut...]
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let sign = e >= 0 ? "+" : "-"
        let head = String(digits.first!)
        let tail = k > 1 ? "." + digits.dropFirst() : ""
        return head + tail + "e" + sign + String(abs(e))
    }
}

extension JSONValue {
    /// The deepest nesting any JSON text is parsed with: Foundation's `JSONEncoder` and `JSONDecoder`, which the
    /// journal and the HTTP layer use for the envelopes around these values, refuse deeper documents.
    public static let maximumDepth = 512

    /// The deepest nesting a body from another party may have. Whatever a node keeps (journal lines, ledger
    /// entries, envelopes) wraps a payload in far fewer than `maximumDepth - maximumRequestDepth` levels of its
    /// own, so an accepted body can always be written and read back.
    public static let maximumRequestDepth = 64

    /// Parses JSON text (RFC 8259, strict, I-JSON member names) nested at most `maximumDepth` deep. Throws
    /// `JSONParseError` saying what is wrong and at which byte.
    public static func parse(_ data: Data, maximumDepth: Int = JSONValue.maximumDepth) throws -> JSONValue {
        try JSONParser.parse(data, maximumDepth: maximumDepth)
    }

    /// Converts any `Encodable` value to its JSON tree, directly (no JSON text in between).
    public init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder.encode(value)
    }

    /// Converts an `Encodable` value to its JSON tree when the tree holds it exactly, as `JSONEncoder` would write
    /// it; throws `EncodingError.invalidValue` when an integer in it is beyond 2^53 or a `Decimal` has more digits
    /// than a double keeps (a tree's numbers are doubles).
    public init(exactlyEncoding value: some Encodable) throws {
        self = try JSONValueEncoder.encodeExactly(value)
    }

    /// Decodes this tree as `type`, straight from the tree (`JSONValueDecoder`): the value and the errors
    /// `JSONDecoder` gives for the tree's canonical text.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder.decode(T.self, from: self)
    }
}

extension JSONDecoder {
    /// A decoder of JSON text that tells `JSONValue` its values are exactly typed (`JSONValue.exactlyTyped`):
    /// the same results as a plain `JSONDecoder`, without a failed attempt per string or object.
    public static func exactlyTyped() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.userInfo[JSONValue.exactlyTyped] = true
        return decoder
    }
}
