import Foundation

/// A JSON document as a value: what the wire carried, nothing dropped, nothing invented.
///
/// Numbers are IEEE-754 doubles, as in RFC 8785 (JSON Canonicalization Scheme); integral values
/// within ±2^53 encode without a fraction, so `1522` stays `1522` on the way back out.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The member named `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The JSON type name used in error messages ("object", "string", …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
            return
        }
        // A JSON decoder types every value exactly (a string never decodes as a number, nor a number as a string),
        // so the kinds can be tried most common first: strings and objects without a failed attempt before them.
        // Each failed attempt throws a `DecodingError`, and objects used to cost four. Other decoders (YAML, where
        // `123` would also decode as a string) keep the order below.
        if decoder.userInfo[Self.exactlyTyped] as? Bool == true {
            if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([String: JSONValue].self) {
                self = .object(value)
            } else if let value = try? container.decode([JSONValue].self) {
                self = .array(value)
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
            }
            return
        }
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// The `userInfo` key a decoder of JSON text sets (`JSONDecoder.exactlyTyped()`): its values' kinds never
    /// overlap, so `JSONValue` may try them in any order.
    public static let exactlyTyped = CodingUserInfoKey(rawValue: "scbroker.json.exactlyTyped")!

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if let exact = Int64(exactly: value), abs(value) <= 9_007_199_254_740_992 {
                try container.encode(exact)
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// The JSON Pointer of the first place where `other` differs from this value, or `nil` when they are equal.
    ///
    /// Used to tell a buyer exactly which field of an order differs from what was quoted.
    public func firstDifference(from other: JSONValue, at path: String = "") -> String? {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            for key in Set(mine.keys).union(theirs.keys).sorted() {
                let child =
                    path + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                guard let left = mine[key], let right = theirs[key] else { return child }
                if let difference = left.firstDifference(from: right, at: child) { return difference }
            }
            return nil
        case (.array(let mine), .array(let theirs)):
            for index in 0..<max(mine.count, theirs.count) {
                guard index < mine.count, index < theirs.count else { return path + "/\(index)" }
                if let difference = mine[index].firstDifference(from: theirs[index], at: path + "/\(index)") {
                    return difference
                }
            }
            return nil
        default:
            return self == other ? nil : (path.isEmpty ? "/" : path)
        }
    }
}
