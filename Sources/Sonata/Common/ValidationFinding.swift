/// One thing wrong with a Sonata payload: where (JSON Pointer), which rule, and what.
public struct ValidationFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// RFC 6901 JSON Pointer to the offending field, e.g. `/productOfferingQualificationItem/0/id`; `""` is the root.
    public let path: String
    /// The rule broken: a requirement id from requirements.tsv (`MEF79-R12`) or a schema rule (`SONATA-SCHEMA`).
    public let rule: String
    /// What is wrong and what was expected, for a person.
    public let message: String

    public init(path: String, rule: String, message: String) {
        self.path = path
        self.rule = rule
        self.message = message
    }

    /// The rule id used for violations of the MEF Sonata OpenAPI schema itself (types, required fields, enums).
    public static let schemaRule = "SONATA-SCHEMA"

    public var description: String { "\(path.isEmpty ? "/" : path)\t\(rule)\t\(message)" }
}

/// A finding can be the failure of a reading that stops at the first thing wrong.
extension ValidationFinding: Error {}

/// Builds RFC 6901 JSON Pointers.
public enum JSONPointer {
    /// Appends one reference token, escaping `~` and `/`.
    public static func appending(_ base: String, _ token: String) -> String {
        base + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func appending(_ base: String, _ index: Int) -> String { base + "/" + String(index) }

    /// The pointer for a Swift `Decoder` coding path.
    public static func from(codingPath: [any CodingKey]) -> String {
        codingPath.reduce("") { pointer, key in
            if let index = key.intValue { return appending(pointer, index) }
            return appending(pointer, key.stringValue)
        }
    }
}

extension ValidationFinding {
    /// Turns a `DecodingError` from a typed Sonata model into a schema finding with the field's path.
    public init(schemaViolation error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            let path = JSONPointer.appending(JSONPointer.from(codingPath: context.codingPath), key.stringValue)
            self.init(path: path, rule: Self.schemaRule, message: "required property '\(key.stringValue)' is missing")
        case .typeMismatch(let type, let context):
            self.init(
                path: JSONPointer.from(codingPath: context.codingPath), rule: Self.schemaRule,
                message: "wrong type: expected \(Self.jsonTypeName(type))")
        case .valueNotFound(let type, let context):
            self.init(
                path: JSONPointer.from(codingPath: context.codingPath), rule: Self.schemaRule,
                message: "null where \(Self.jsonTypeName(type)) is required")
        case .dataCorrupted(let context):
            self.init(
                path: JSONPointer.from(codingPath: context.codingPath), rule: Self.schemaRule,
                message: context.debugDescription)
        @unknown default:
            self.init(path: "", rule: Self.schemaRule, message: String(describing: error))
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Bool.Type: "boolean"
        case is Int.Type, is Double.Type, is Int64.Type: "number"
        default:
            String(describing: type).hasPrefix("Array") ? "array" : "object"
        }
    }
}
