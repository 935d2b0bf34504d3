import CanonicalJSON
import Foundation

/// Walks a JSON tree and collects findings with JSON Pointer paths, so a validator reports every problem at once.
///
/// Each accessor checks the field's JSON type and, for required fields, its presence, recording a
/// `SONATA-SCHEMA` finding (or the given requirement id) when the payload breaks the rule.
struct PayloadInspector {
    private(set) var findings: [ValidationFinding] = []

    mutating func report(_ path: String, _ rule: String, _ message: String) {
        findings.append(ValidationFinding(path: path, rule: rule, message: message))
    }

    /// The object at `path`, or `nil` after reporting a type finding.
    mutating func object(_ value: JSONValue?, at path: String) -> [String: JSONValue]? {
        guard let value else { return nil }
        guard case .object(let members) = value else {
            report(path, ValidationFinding.schemaRule, "expected an object, found \(value.typeName)")
            return nil
        }
        return members
    }

    /// The member `key` of `object`; reports `missing` (with `rule`) when it is required and absent.
    mutating func member(
        _ key: String, of object: [String: JSONValue], at path: String, required rule: String? = nil,
        because reason: String = ""
    ) -> JSONValue? {
        guard let value = object[key], value != .null else {
            if let rule {
                let why = reason.isEmpty ? "" : ": \(reason)"
                report(JSONPointer.appending(path, key), rule, "'\(key)' is required\(why)")
            }
            return nil
        }
        return value
    }

    /// The member `key` as a `T`, reporting a type finding (`expected …, found …`) when it is another JSON type.
    private mutating func typed<T>(
        _ key: String, of object: [String: JSONValue], at path: String, required rule: String?, because reason: String,
        expected: String, _ extract: (JSONValue) -> T?
    ) -> T? {
        guard let value = member(key, of: object, at: path, required: rule, because: reason) else { return nil }
        guard let typed = extract(value) else {
            report(
                JSONPointer.appending(path, key), ValidationFinding.schemaRule,
                "expected \(expected), found \(value.typeName)")
            return nil
        }
        return typed
    }

    mutating func string(
        _ key: String, of object: [String: JSONValue], at path: String, required rule: String? = nil,
        because reason: String = ""
    ) -> String? {
        guard
            let text = typed(
                key, of: object, at: path, required: rule, because: reason, expected: "a string", \.stringValue)
        else { return nil }
        // Blank when no scalar is outside `.whitespaces` (the first usually decides; trimming made a copy each time).
        if let rule, !text.unicodeScalars.contains(where: { !CharacterSet.whitespaces.contains($0) }) {
            let why = reason.isEmpty ? "" : ": \(reason)"
            report(JSONPointer.appending(path, key), rule, "'\(key)' must not be empty\(why)")
        }
        return text
    }

    mutating func bool(
        _ key: String, of object: [String: JSONValue], at path: String, required rule: String? = nil,
        because reason: String = ""
    ) -> Bool? {
        typed(key, of: object, at: path, required: rule, because: reason, expected: "true or false", \.boolValue)
    }

    mutating func array(
        _ key: String, of object: [String: JSONValue], at path: String, required rule: String? = nil,
        because reason: String = ""
    ) -> [JSONValue]? {
        typed(key, of: object, at: path, required: rule, because: reason, expected: "an array", \.arrayValue)
    }

    /// A string that must be one of a closed enum's raw values.
    mutating func enumeration<E: SonataEnum>(
        _ type: E.Type, _ key: String, of object: [String: JSONValue], at path: String, required rule: String? = nil
    ) -> E? {
        guard let text = string(key, of: object, at: path, required: rule) else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            report(
                JSONPointer.appending(path, key), ValidationFinding.schemaRule, "'\(text)' is not one of: \(allowed)")
            return nil
        }
        return value
    }

    /// A string that must be an RFC 3339 date-time.
    mutating func dateTime(
        _ key: String, of object: [String: JSONValue], at path: String, required rule: String? = nil,
        because reason: String = ""
    ) -> MEFDateTime? {
        guard let text = string(key, of: object, at: path, required: rule, because: reason) else { return nil }
        guard let value = MEFDateTime(text: text) else {
            report(
                JSONPointer.appending(path, key), ValidationFinding.schemaRule,
                "'\(text)' is not an RFC 3339 date-time (e.g. 2023-10-12T00:00:00Z)")
            return nil
        }
        return value
    }
}
