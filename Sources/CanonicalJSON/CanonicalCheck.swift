import Foundation

extension JSONValue {
    /// True when `text` is exactly the RFC 8785 canonical form of the JSON value it holds: it parses (strictly,
    /// `parse(_:)`) and serialises back to the same bytes.
    ///
    /// The auditor asks this of every entry's body and refs. One pass over the bytes settles the usual case without
    /// building the value: no white space, strings without escapes, literals, numbers in their ECMAScript form,
    /// members in strictly increasing order of their names. What that pass does not settle (an escape, two member
    /// names that first differ beyond ASCII, nesting near the bound, a text that is not canonical) is decided the
    /// long way, by parsing and serialising again, so both ways always give the same answer.
    public static func isCanonical(_ text: String) -> Bool {
        if settlesAsCanonical(text) { return true }
        let data = Data(text.utf8)
        guard let value = try? parse(data) else { return false }
        return value.canonicalData == data
    }
}

extension JSONValue {
    /// The quick pass alone: true when it settles `text` as canonical (false: not settled).
    static func settlesAsCanonical(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var scan = CanonicalScan(bytes, maximumDepth: maximumDepth)
            return scan.value() && scan.atEnd
        }
    }
}

/// The quick pass of `JSONValue.isCanonical`, over a string's UTF-8 (valid, as every Swift string's is): true only
/// for bytes it knows to be canonical; false means "not settled here", never "not canonical".
private struct CanonicalScan {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var index = 0
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    var atEnd: Bool { index == bytes.count }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func value() -> Bool {
        guard let current else { return false }
        switch current {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return container()
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// An object (`{`) or an array (`[`): its elements in order, no white space, an object's members with names
    /// in strictly increasing order.
    private mutating func container() -> Bool {
        let isObject = bytes[index] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        depth += 1
        guard depth < maximumDepth else { return false }
        index += 1
        var previous: Range<Int>?
        while current != close {
            if isObject {
                guard current == UInt8(ascii: "\""), let name = string() else { return false }
                if let previous, !precedes(previous, name) { return false }
                previous = name
                guard current == UInt8(ascii: ":") else { return false }
                index += 1
            }
            guard value() else { return false }
            guard current == UInt8(ascii: ",") else { break }
            index += 1
            // A member or element must follow the comma: at `close` it would be "[1,]", which `value()` refuses.
            if current == close { return false }
        }
        guard current == close else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// A string written as the canonical form writes one without escapes: every byte at or above 0x20, no `"`
    /// inside, no `\`. Returns the range of its content.
    private mutating func string() -> Range<Int>? {
        index += 1
        let start = index
        while let byte = current {
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// True when member name `a` sorts strictly before `b`, RFC 8785's order (UTF-16 code units), where the names
    /// first differ in two ASCII bytes (there bytes order as UTF-16 units do) or one is a prefix of the other.
    /// False otherwise: equal names (a duplicate), the wrong order, or a first difference beyond ASCII.
    private func precedes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        var (i, j) = (a.lowerBound, b.lowerBound)
        while i < a.upperBound, j < b.upperBound {
            if bytes[i] != bytes[j] { return bytes[i] < 0x80 && bytes[j] < 0x80 && bytes[i] < bytes[j] }
            i += 1
            j += 1
        }
        return i == a.upperBound && j < b.upperBound
    }

    /// A number token whose bytes are exactly the ECMAScript form of the double it parses to.
    private mutating func number() -> Bool {
        let start = index
        while let byte = current,
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                || byte == UInt8(ascii: "E")
        {
            index += 1
        }
        let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        // The grammar first (Swift's `Double(_:)` also takes forms JSON does not, such as "1." or ".5").
        guard Self.isJSONNumber(token.utf8), let parsed = Double(token), parsed.isFinite else { return false }
        return JSONValue.ecmaScriptString(parsed) == token
    }

    /// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func isJSONNumber(_ token: String.UTF8View) -> Bool {
        var bytes = token.makeIterator()
        var byte = bytes.next()
        func digits() -> Int {
            var count = 0
            while let current = byte, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(current) {
                count += 1
                byte = bytes.next()
            }
            return count
        }
        if byte == UInt8(ascii: "-") { byte = bytes.next() }
        if byte == UInt8(ascii: "0") {
            byte = bytes.next()
        } else if digits() == 0 {
            return false
        }
        if byte == UInt8(ascii: ".") {
            byte = bytes.next()
            guard digits() > 0 else { return false }
        }
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            byte = bytes.next()
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { byte = bytes.next() }
            guard digits() > 0 else { return false }
        }
        return byte == nil
    }
}
