import CanonicalJSON
import Foundation
import Yams

// A small, strict-enough validator for the OpenAPI 3.0 schema-object subset that the MEF Sonata API files use,
// so tests can check wire payloads against `components/schemas` of the real spec instead of a hand-copied idea of
// it.
//
// Supported keywords: `$ref` (to `#/components/schemas/…` only; siblings of `$ref` are ignored, as OpenAPI 3.0
// says), `type` (object, array, string, number, integer, boolean), `nullable`, `enum`, `properties`, `required`,
// `additionalProperties` (boolean or schema), `items`, `minItems`, `maxItems`, `minLength`, `maxLength`,
// `minimum`, `maximum`, `exclusiveMinimum` / `exclusiveMaximum` (OpenAPI 3.0 booleans), `allOf`, `oneOf`, `anyOf`,
// `not`, `format` (`date-time` and `date` per RFC 3339, `uri` loosely; other formats are not checked) and
// `discriminator` (`propertyName` + `mapping`, see `Discriminator`). Every other keyword (`readOnly`, `writeOnly`,
// `default`, `description`, `example`, `pattern`, `uniqueItems`, …) is ignored.

/// One place where a JSON instance breaks a schema.
struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// RFC 6901 JSON Pointer to the offending value in the instance, e.g. `/productOfferingQualificationItem/0/state`.
    /// The instance itself is `""`. A `required` violation points at the object missing the member.
    let path: String
    /// The schema keyword that failed: `type`, `required`, `enum`, `format`, `oneOf`, ….
    let keyword: String
    /// The keyword and why it failed, e.g. `required: missing "id"` or `type: expected string, got number`.
    let message: String

    /// A violation of `keyword` at `path`; `message` becomes `"keyword: reason"`.
    init(path: String, keyword: String, reason: String) {
        self.path = path
        self.keyword = keyword
        self.message = "\(keyword): \(reason)"
    }

    var description: String { "\(path.isEmpty ? "(root)" : path): \(message)" }
}

/// Why an OpenAPI document could not be turned into schemas: where in the document (a JSON Pointer) and why.
struct OpenAPISchemaLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON Pointer into the spec document, e.g. `/components/schemas/Error/properties/reason/maxLength`.
    let pointer: String
    let reason: String

    var description: String { "\(pointer.isEmpty ? "(root)" : pointer): \(reason)" }
}

/// Validates JSON instances against the `components/schemas` of an OpenAPI 3.0 document.
///
/// Built once from the YAML text (all `$ref`s are resolved and every supported keyword is shape-checked up front, so
/// a spec this validator misreads fails loudly at `init`), then `validate` is a pure function and the value is
/// `Sendable`.
struct OpenAPISchemaValidator: Sendable {
    private let schemas: [String: Schema]

    /// The names under `components/schemas`, sorted.
    var schemaNames: [String] { schemas.keys.sorted() }

    /// Parses `specYAML` (an OpenAPI 3.0 document) and loads every schema under `components/schemas`.
    ///
    /// - Throws: `OpenAPISchemaLoadError` when the YAML has no `components/schemas` mapping, a supported keyword has
    ///   the wrong shape, a `$ref` (or discriminator mapping) names a schema that does not exist or points outside
    ///   `#/components/schemas/`; Yams' errors when the text is not YAML.
    init(specYAML: String) throws {
        guard let root = try Yams.compose(yaml: specYAML) else {
            throw OpenAPISchemaLoadError(pointer: "", reason: "the document is empty")
        }
        let document = try Self.json(from: root, at: "")
        guard case .object(let definitions)? = document["components"]?["schemas"] else {
            throw OpenAPISchemaLoadError(pointer: "/components/schemas", reason: "missing, or not a mapping")
        }
        let loader = SchemaLoader(names: Set(definitions.keys))
        var schemas: [String: Schema] = [:]
        for (name, definition) in definitions {
            schemas[name] = try loader.schema(definition, at: "/components/schemas/" + Self.escape(name))
        }
        self.schemas = schemas
    }

    /// The ways `instance` breaks the component schema `schemaName`; empty when it conforms.
    ///
    /// The order is stable: depth first, and within an object its `required` failures, then its members by name;
    /// `allOf` branches in spec order. Identical violations (same path and message) are reported once.
    ///
    /// An unknown `schemaName` gives a single violation with keyword `$ref` at the root.
    func validate(_ instance: JSONValue, against schemaName: String) -> [SchemaViolation] {
        guard schemas[schemaName] != nil else {
            return [
                SchemaViolation(
                    path: "", keyword: "$ref", reason: "no schema named \"\(schemaName)\" in components/schemas")
            ]
        }
        var evaluation = Evaluation(schemas: schemas)
        evaluation.checkReference(schemaName, instance, at: "")
        return evaluation.result
    }

    /// The ways `instance` breaks "an array of `schemaName`", the shape of e.g. a MEF 422 response body
    /// (`type: array, items: $ref Error422`); item paths are `/0/…`, `/1/…`.
    func validate(_ instance: JSONValue, againstArrayOf schemaName: String) -> [SchemaViolation] {
        guard schemas[schemaName] != nil else { return validate(instance, against: schemaName) }
        var keywords = Keywords()
        keywords.type = "array"
        keywords.items = .reference(schemaName)
        var evaluation = Evaluation(schemas: schemas)
        evaluation.check(instance, .inline(keywords), at: "")
        return evaluation.result
    }

    /// `name` as one JSON Pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
    fileprivate static func escape(_ name: String) -> String {
        name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

// MARK: - The schema tree

extension OpenAPISchemaValidator {
    /// A schema object: either a `$ref` to a component schema (by name) or the keywords written inline.
    fileprivate indirect enum Schema: Sendable {
        case reference(String)
        case inline(Keywords)
    }

    /// The supported keywords of one inline schema object; `nil` / empty means "not present".
    fileprivate struct Keywords: Sendable {
        var type: String?
        var nullable = false
        var format: String?
        var enumValues: [JSONValue]?
        var properties: [String: Schema] = [:]
        var required: [String] = []
        var additionalProperties: AdditionalProperties = .unconstrained
        var items: Schema?
        var minItems: Int?
        var maxItems: Int?
        var minLength: Int?
        var maxLength: Int?
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum = false
        var exclusiveMaximum = false
        var allOf: [Schema] = []
        var oneOf: [Schema] = []
        var anyOf: [Schema] = []
        var not: Schema?
        var discriminator: Discriminator?
    }

    /// `additionalProperties`: absent or `true`, `false`, or a schema for the members `properties` does not name.
    ///
    /// As in JSON Schema, "named" means named by the `properties` of the same schema object, not by `allOf` siblings.
    fileprivate enum AdditionalProperties: Sendable {
        case unconstrained
        case forbidden
        case schema(Schema)
    }

    /// `discriminator: {propertyName, mapping}` as the MEF files use it: a base schema (e.g.
    /// `RelatedPlaceRefOrValue`) names its subtypes, and each subtype is `allOf: [$ref base, {its own members}]`.
    ///
    /// When the instance's `propertyName` member is a string that `mapping` lists, the instance is validated against
    /// the base schema's own keywords *and* the mapped schema (which re-includes the base via `allOf`; the re-entry
    /// is cut by the recursion guard, so the base is checked once). When the value is not in `mapping` (or there is
    /// no mapping, as on `MEFProductConfiguration`, whose `@type` is a product-specification URN), only the base
    /// schema is checked. That is deliberately looser than OpenAPI's implicit "value = schema name" rule: MEF uses
    /// `@type` for open extension points (`@schemaLocation`, product specifications) that no schema in this file
    /// describes, so an unmapped value is not an error here. A missing or non-string discriminator member is left to
    /// the base schema's `required` / `type`.
    fileprivate struct Discriminator: Sendable {
        let propertyName: String
        /// Discriminator value → component schema name.
        let mapping: [String: String]
    }
}

// MARK: - Loading

extension OpenAPISchemaValidator {
    /// YAML → JSON value. Plain scalars follow the YAML 1.2 core schema (`null`, `true`/`false`, numbers); YAML 1.1's
    /// `yes`/`no`/`on`/`off` booleans and timestamps stay strings, as they would in a JSON rendering of the spec.
    fileprivate static func json(from node: Yams.Node, at pointer: String) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null:
                return .null
            case .bool:
                switch scalar.string {
                case "true", "True", "TRUE": return .bool(true)
                case "false", "False", "FALSE": return .bool(false)
                default: return .string(scalar.string)
                }
            case .int:
                if let value = node.int { return .number(Double(value)) }
                return .string(scalar.string)
            case .float:
                if let value = node.float { return .number(value) }
                return .string(scalar.string)
            default:
                return .string(scalar.string)
            }
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw OpenAPISchemaLoadError(pointer: pointer, reason: "a mapping key is not a scalar")
                }
                let name = keyScalar.string
                members[name] = try json(from: value, at: pointer + "/" + escape(name))
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(
                try sequence.enumerated().map { index, element in try json(from: element, at: pointer + "/\(index)") })
        case .alias:
            throw OpenAPISchemaLoadError(pointer: pointer, reason: "unresolved YAML alias")
        }
    }

    /// Turns JSON schema objects into `Schema`s, checking the shape of every supported keyword and every reference.
    fileprivate struct SchemaLoader {
        /// The names under `components/schemas`, for resolving `$ref`s and discriminator mappings.
        let names: Set<String>

        private static let referencePrefix = "#/components/schemas/"
        private static let types: Set<String> = ["object", "array", "string", "number", "integer", "boolean"]

        func schema(_ value: JSONValue, at pointer: String) throws -> Schema {
            guard case .object(let members) = value else { throw failure(pointer, "a schema must be a mapping") }
            if let reference = members["$ref"] {
                return .reference(try componentName(reference, at: pointer + "/$ref"))
            }
            var keywords = Keywords()
            for (keyword, value) in members {
                try load(keyword, value, into: &keywords, at: pointer + "/" + OpenAPISchemaValidator.escape(keyword))
            }
            return .inline(keywords)
        }

        /// Reads one keyword into `keywords`; unknown keywords are ignored.
        private func load(
            _ keyword: String, _ value: JSONValue, into keywords: inout Keywords, at pointer: String
        ) throws {
            switch keyword {
            case "type":
                guard case .string(let type) = value, Self.types.contains(type) else {
                    throw failure(pointer, "expected one of \(Self.types.sorted())")
                }
                keywords.type = type
            case "nullable":
                keywords.nullable = try bool(value, at: pointer)
            case "format":
                guard case .string(let format) = value else { throw failure(pointer, "expected a string") }
                keywords.format = format
            case "enum":
                guard case .array(let values) = value, !values.isEmpty else {
                    throw failure(pointer, "expected a non-empty sequence")
                }
                keywords.enumValues = values
            case "properties":
                guard case .object(let properties) = value else { throw failure(pointer, "expected a mapping") }
                for (name, property) in properties {
                    keywords.properties[name] = try schema(
                        property, at: pointer + "/" + OpenAPISchemaValidator.escape(name))
                }
            case "required":
                guard case .array(let names) = value else { throw failure(pointer, "expected a sequence") }
                keywords.required = try names.enumerated().map { index, name in
                    guard case .string(let name) = name else { throw failure(pointer + "/\(index)", "not a string") }
                    return name
                }
            case "additionalProperties":
                switch value {
                case .bool(true): keywords.additionalProperties = .unconstrained
                case .bool(false): keywords.additionalProperties = .forbidden
                default: keywords.additionalProperties = .schema(try schema(value, at: pointer))
                }
            case "items":
                keywords.items = try schema(value, at: pointer)
            case "not":
                keywords.not = try schema(value, at: pointer)
            case "minItems": keywords.minItems = try count(value, at: pointer)
            case "maxItems": keywords.maxItems = try count(value, at: pointer)
            case "minLength": keywords.minLength = try count(value, at: pointer)
            case "maxLength": keywords.maxLength = try count(value, at: pointer)
            case "minimum": keywords.minimum = try number(value, at: pointer)
            case "maximum": keywords.maximum = try number(value, at: pointer)
            case "exclusiveMinimum": keywords.exclusiveMinimum = try bool(value, at: pointer)
            case "exclusiveMaximum": keywords.exclusiveMaximum = try bool(value, at: pointer)
            case "allOf": keywords.allOf = try schemas(value, at: pointer)
            case "oneOf": keywords.oneOf = try schemas(value, at: pointer)
            case "anyOf": keywords.anyOf = try schemas(value, at: pointer)
            case "discriminator":
                keywords.discriminator = try discriminator(value, at: pointer)
            default:
                break
            }
        }

        private func schemas(_ value: JSONValue, at pointer: String) throws -> [Schema] {
            guard case .array(let elements) = value, !elements.isEmpty else {
                throw failure(pointer, "expected a non-empty sequence of schemas")
            }
            return try elements.enumerated().map { index, element in try schema(element, at: pointer + "/\(index)") }
        }

        private func discriminator(_ value: JSONValue, at pointer: String) throws -> Discriminator {
            guard case .string(let propertyName)? = value["propertyName"] else {
                throw failure(pointer + "/propertyName", "expected a string")
            }
            var mapping: [String: String] = [:]
            switch value["mapping"] {
            case nil:
                break
            case .object(let entries)?:
                for (discriminatorValue, target) in entries {
                    let targetPointer = pointer + "/mapping/" + OpenAPISchemaValidator.escape(discriminatorValue)
                    // A mapping value is a reference or, per OpenAPI 3.0, a bare schema name.
                    if case .string(let name) = target, !name.hasPrefix("#"), names.contains(name) {
                        mapping[discriminatorValue] = name
                    } else {
                        mapping[discriminatorValue] = try componentName(target, at: targetPointer)
                    }
                }
            default:
                throw failure(pointer + "/mapping", "expected a mapping")
            }
            return Discriminator(propertyName: propertyName, mapping: mapping)
        }

        /// The component name a `#/components/schemas/NAME` reference points at; it must exist.
        private func componentName(_ value: JSONValue, at pointer: String) throws -> String {
            guard case .string(let reference) = value else { throw failure(pointer, "expected a string") }
            guard reference.hasPrefix(Self.referencePrefix) else {
                throw failure(pointer, "only references to \(Self.referencePrefix)… are supported, got \(reference)")
            }
            let token = String(reference.dropFirst(Self.referencePrefix.count))
            let name = (token.removingPercentEncoding ?? token)
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard names.contains(name) else { throw failure(pointer, "no schema named \"\(name)\"") }
            return name
        }

        private func bool(_ value: JSONValue, at pointer: String) throws -> Bool {
            guard case .bool(let flag) = value else { throw failure(pointer, "expected a boolean") }
            return flag
        }

        private func number(_ value: JSONValue, at pointer: String) throws -> Double {
            guard case .number(let number) = value else { throw failure(pointer, "expected a number") }
            return number
        }

        private func count(_ value: JSONValue, at pointer: String) throws -> Int {
            guard case .number(let number) = value, number >= 0, let count = Int(exactly: number) else {
                throw failure(pointer, "expected a non-negative integer")
            }
            return count
        }

        private func failure(_ pointer: String, _ reason: String) -> OpenAPISchemaLoadError {
            OpenAPISchemaLoadError(pointer: pointer, reason: reason)
        }
    }
}

// MARK: - Validation

extension OpenAPISchemaValidator {
    /// One run of `validate`: the violations found so far and the references being expanded.
    fileprivate struct Evaluation {
        let schemas: [String: Schema]
        private var violations: [SchemaViolation] = []
        /// Component schemas currently being checked, each at one instance path. Re-entering the same schema at the
        /// same place (the `allOf` ↔ `discriminator` loop of MEF's inheritance, or any self-reference that does not
        /// descend into the instance) would add nothing, so it is skipped; recursion that descends into the
        /// instance always ends with it.
        private var active: Set<Visit> = []

        private struct Visit: Hashable {
            let name: String
            let path: String
        }

        init(schemas: [String: Schema]) { self.schemas = schemas }

        /// The violations found, in order, without duplicates (`allOf` branches can repeat a `type` failure).
        var result: [SchemaViolation] {
            var seen: Set<SchemaViolation> = []
            return violations.filter { seen.insert($0).inserted }
        }

        mutating func check(_ value: JSONValue, _ schema: Schema, at path: String) {
            switch schema {
            case .reference(let name): checkReference(name, value, at: path)
            case .inline(let keywords): check(value, keywords, at: path)
            }
        }

        mutating func checkReference(_ name: String, _ value: JSONValue, at path: String) {
            let visit = Visit(name: name, path: path)
            guard !active.contains(visit) else { return }
            guard let schema = schemas[name] else {
                // Unreachable after `init` resolved every reference; kept so a bad name cannot crash a test run.
                report(path, "$ref", "no schema named \"\(name)\"")
                return
            }
            active.insert(visit)
            defer { active.remove(visit) }
            check(value, schema, at: path)
        }

        private mutating func check(_ value: JSONValue, _ keywords: Keywords, at path: String) {
            if value == .null, keywords.nullable { return }
            if let type = keywords.type, !Self.value(value, is: type) {
                let actual = value.typeName == "number" && type == "integer" ? "non-integral number" : value.typeName
                report(path, "type", "expected \(type), got \(actual)")
                return  // The other keywords would only restate the mismatch.
            }
            if let allowed = keywords.enumValues, !allowed.contains(value) {
                let list = allowed.map(\.canonicalString).joined(separator: ", ")
                report(path, "enum", "\(value.canonicalString) is not one of [\(list)]")
            }
            switch value {
            case .string(let string): checkString(string, keywords, at: path)
            case .number(let number): checkNumber(number, keywords, at: path)
            case .array(let elements): checkArray(elements, keywords, at: path)
            case .object(let members): checkObject(members, keywords, at: path)
            case .null, .bool: break
            }
            checkCombinators(value, keywords, at: path)
            if let discriminator = keywords.discriminator, case .string(let tag)? = value[discriminator.propertyName],
                let target = discriminator.mapping[tag]
            {
                checkReference(target, value, at: path)
            }
        }

        private mutating func checkString(_ string: String, _ keywords: Keywords, at path: String) {
            let length = string.unicodeScalars.count  // JSON Schema counts code points.
            if let minimum = keywords.minLength, length < minimum {
                report(path, "minLength", "expected at least \(minimum) character(s), got \(length)")
            }
            if let maximum = keywords.maxLength, length > maximum {
                report(path, "maxLength", "expected at most \(maximum) character(s), got \(length)")
            }
            switch keywords.format {
            case "date-time" where !RFC3339.isDateTime(string):
                report(path, "format", "\(JSONValue.string(string).canonicalString) is not an RFC 3339 date-time")
            case "date" where !RFC3339.isFullDate(string):
                report(path, "format", "\(JSONValue.string(string).canonicalString) is not an RFC 3339 full-date")
            case "uri" where !Self.looksLikeURI(string):
                report(path, "format", "\(JSONValue.string(string).canonicalString) is not an absolute URI")
            default:
                break
            }
        }

        private mutating func checkNumber(_ number: Double, _ keywords: Keywords, at path: String) {
            let shown = JSONValue.number(number).canonicalString
            if let minimum = keywords.minimum {
                let bound = JSONValue.number(minimum).canonicalString
                if keywords.exclusiveMinimum, number <= minimum {
                    report(path, "exclusiveMinimum", "\(shown) is not greater than \(bound)")
                } else if number < minimum {
                    report(path, "minimum", "\(shown) is less than \(bound)")
                }
            }
            if let maximum = keywords.maximum {
                let bound = JSONValue.number(maximum).canonicalString
                if keywords.exclusiveMaximum, number >= maximum {
                    report(path, "exclusiveMaximum", "\(shown) is not less than \(bound)")
                } else if number > maximum {
                    report(path, "maximum", "\(shown) is greater than \(bound)")
                }
            }
        }

        private mutating func checkArray(_ elements: [JSONValue], _ keywords: Keywords, at path: String) {
            if let minimum = keywords.minItems, elements.count < minimum {
                report(path, "minItems", "expected at least \(minimum) item(s), got \(elements.count)")
            }
            if let maximum = keywords.maxItems, elements.count > maximum {
                report(path, "maxItems", "expected at most \(maximum) item(s), got \(elements.count)")
            }
            if let items = keywords.items {
                for (index, element) in elements.enumerated() {
                    check(element, items, at: path + "/\(index)")
                }
            }
        }

        private mutating func checkObject(_ members: [String: JSONValue], _ keywords: Keywords, at path: String) {
            for name in keywords.required where members[name] == nil {
                report(path, "required", "missing \(JSONValue.string(name).canonicalString)")
            }
            for name in members.keys.sorted() {
                guard let member = members[name] else { continue }
                let memberPath = path + "/" + OpenAPISchemaValidator.escape(name)
                if let property = keywords.properties[name] {
                    check(member, property, at: memberPath)
                    continue
                }
                switch keywords.additionalProperties {
                case .unconstrained:
                    break
                case .forbidden:
                    let shown = JSONValue.string(name).canonicalString
                    report(memberPath, "additionalProperties", "\(shown) is not allowed")
                case .schema(let schema):
                    check(member, schema, at: memberPath)
                }
            }
        }

        private mutating func checkCombinators(_ value: JSONValue, _ keywords: Keywords, at path: String) {
            for schema in keywords.allOf {
                check(value, schema, at: path)
            }
            if !keywords.anyOf.isEmpty {
                let outcomes = keywords.anyOf.map { branch(value, $0, at: path) }
                if !outcomes.contains(where: \.isEmpty) {
                    report(path, "anyOf", "none of \(outcomes.count) schemas matched (\(Self.summary(outcomes)))")
                }
            }
            if !keywords.oneOf.isEmpty {
                let outcomes = keywords.oneOf.map { branch(value, $0, at: path) }
                let matched = outcomes.indices.filter { outcomes[$0].isEmpty }
                if matched.isEmpty {
                    report(path, "oneOf", "none of \(outcomes.count) schemas matched (\(Self.summary(outcomes)))")
                } else if matched.count > 1 {
                    let which = matched.map { "#\($0)" }.joined(separator: ", ")
                    report(path, "oneOf", "expected exactly one schema to match, \(matched.count) did (\(which))")
                }
            }
            if let not = keywords.not, branch(value, not, at: path).isEmpty {
                report(path, "not", "the value matches the schema it must not match")
            }
        }

        /// The violations `value` would have against `schema`, without adding them to this run.
        private mutating func branch(_ value: JSONValue, _ schema: Schema, at path: String) -> [SchemaViolation] {
            let outer = violations
            violations = []
            check(value, schema, at: path)
            let found = violations
            violations = outer
            return found
        }

        /// `#0 /a: required: missing "b"; #1 …`: the first violation of each failed branch.
        private static func summary(_ outcomes: [[SchemaViolation]]) -> String {
            outcomes.enumerated().compactMap { index, found in found.first.map { "#\(index) \($0)" } }
                .joined(separator: "; ")
        }

        private mutating func report(_ path: String, _ keyword: String, _ reason: String) {
            violations.append(SchemaViolation(path: path, keyword: keyword, reason: reason))
        }

        private static func value(_ value: JSONValue, is type: String) -> Bool {
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("number", .number),
                ("boolean", .bool):
                return true
            case ("integer", .number(let number)):
                return number.isFinite && number.rounded(.towardZero) == number
            default:
                return false
            }
        }

        /// Loosely an absolute URI (RFC 3986 §3): a scheme, a colon, something after it, no spaces or control
        /// characters and none of the characters a URI can never contain unescaped.
        private static func looksLikeURI(_ string: String) -> Bool {
            guard let colon = string.firstIndex(of: ":"), colon != string.startIndex,
                string.index(after: colon) != string.endIndex
            else { return false }
            let scheme = string[..<colon].unicodeScalars
            guard let first = scheme.first, first.isASCII, first.properties.isAlphabetic else { return false }
            let schemeCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "+-."))
            guard scheme.allSatisfy({ $0.isASCII && schemeCharacters.contains($0) }) else { return false }
            let forbidden = CharacterSet.whitespacesAndNewlines.union(.controlCharacters)
                .union(CharacterSet(charactersIn: "<>\"{}|\\^`"))
            return !string.unicodeScalars.contains(where: forbidden.contains)
        }
    }

    /// RFC 3339 §5.6 `date-time` and `full-date`, with range checks (month days, leap years, 23:59:60).
    fileprivate enum RFC3339 {
        /// `YYYY-MM-DD`.
        static func isFullDate(_ string: String) -> Bool {
            let bytes = Array(string.utf8)
            return bytes.count == 10 && fullDate(bytes)
        }

        /// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `T` and `Z` may be lower case.
        static func isDateTime(_ string: String) -> Bool {
            let bytes = Array(string.utf8)
            guard bytes.count >= 20, fullDate(bytes), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
                let hour = digits(bytes, 11, 2), hour <= 23, bytes[13] == UInt8(ascii: ":"),
                let minute = digits(bytes, 14, 2), minute <= 59, bytes[16] == UInt8(ascii: ":"),
                let second = digits(bytes, 17, 2), second <= 60
            else { return false }
            var index = 19
            if bytes[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                guard index > start, index < bytes.count else { return false }
            }
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                return index + 1 == bytes.count
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard index + 6 == bytes.count, let offsetHour = digits(bytes, index + 1, 2), offsetHour <= 23,
                    bytes[index + 3] == UInt8(ascii: ":"), let offsetMinute = digits(bytes, index + 4, 2),
                    offsetMinute <= 59
                else { return false }
                return true
            default:
                return false
            }
        }

        private static func fullDate(_ bytes: [UInt8]) -> Bool {
            guard bytes.count >= 10, let year = digits(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
                let month = digits(bytes, 5, 2), (1...12).contains(month), bytes[7] == UInt8(ascii: "-"),
                let day = digits(bytes, 8, 2)
            else { return false }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            return (1...days).contains(day)
        }

        private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }

        private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    }
}
