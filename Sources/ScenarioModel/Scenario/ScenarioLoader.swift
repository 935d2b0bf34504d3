import Foundation
import Yams

/// Reads scenario files (YAML) and the scenarios embedded in the binary.
public enum ScenarioLoader {
    /// The embedded scenarios, by name (file name without `.yaml`).
    public static func embeddedNames() -> [String] {
        guard let directory = Bundle.module.url(forResource: "Scenarios", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The demo scenario `broker simulate` runs without arguments.
    public static let defaultScenarioName = "five-hop-chain"

    /// The text and base directory of an embedded scenario.
    public static func embedded(_ name: String) throws -> (text: String, directory: URL) {
        guard let directory = Bundle.module.url(forResource: "Scenarios", withExtension: nil) else {
            throw ScenarioError(path: "", message: "no embedded scenarios in this build")
        }
        let url = directory.appendingPathComponent(name + ".yaml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ScenarioError(
                path: "", message: "no embedded scenario '\(name)'; known: \(embeddedNames().joined(separator: ", "))")
        }
        return (text, directory)
    }

    /// Loads a scenario file, or an embedded scenario when `reference` names one and is not a file.
    public static func load(_ reference: String) throws -> (scenario: Scenario, directory: URL) {
        let url = URL(fileURLWithPath: reference)
        if FileManager.default.fileExists(atPath: url.path) {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ScenarioError(path: "", message: "cannot read \(reference) as UTF-8 text")
            }
            return (try parse(text), url.deletingLastPathComponent())
        }
        let embedded = try embedded(reference)
        return (try parse(embedded.text), embedded.directory)
    }

    /// Parses YAML text; a malformed document or a field of the wrong type names its path.
    public static func parse(_ text: String) throws -> Scenario {
        do {
            return try YAMLDecoder().decode(Scenario.self, from: text)
        } catch let error as DecodingError {
            switch error {
            case .keyNotFound(let key, let context):
                let base = ScenarioError.path(context.codingPath)
                throw ScenarioError(
                    path: base.isEmpty ? key.stringValue : "\(base).\(key.stringValue)",
                    message: "required field is missing")
            case .typeMismatch(let type, let context):
                throw ScenarioError(
                    path: ScenarioError.path(context.codingPath), message: "expected \(Self.describe(type))")
            case .valueNotFound(let type, let context):
                throw ScenarioError(
                    path: ScenarioError.path(context.codingPath),
                    message: "expected \(Self.describe(type)), found nothing")
            case .dataCorrupted(let context):
                let underlying = context.underlyingError.map { "\($0)" } ?? context.debugDescription
                throw ScenarioError(
                    path: ScenarioError.path(context.codingPath), message: "not valid YAML: \(underlying)")
            @unknown default:
                throw ScenarioError(path: "", message: "\(error)")
            }
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(path: "", message: "not valid YAML: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
