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

    /// Parses YAML text; a malformed document, an unknown key or a field of the wrong type names its path.
    public static func parse(_ text: String) throws -> Scenario {
        try decodeStrictly(Scenario.self, from: text)
    }

    /// Decodes a YAML document after refusing any key `Section` does not know (see `KeyShape`); every error is a
    /// `ScenarioError` naming the field's path in plain words.
    public static func decodeStrictly<Section: Decodable & KnownKeys>(
        _ type: Section.Type, from text: String
    ) throws(ScenarioError) -> Section {
        do {
            let parser = try Parser(yaml: text, resolver: Resolver.basic.appending(.merge))  // as YAMLDecoder parses
            return try withExtendedLifetime(parser) {  // the parser owns the document's anchors
                let node = try parser.singleRoot() ?? ""
                try KeyShape.section(Section.self).check(node)
                return try YAMLDecoder().decode(Section.self, from: node)
            }
        } catch let error as DecodingError {
            throw ScenarioError(decoding: error)
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(path: "", message: "not valid YAML: \(error)")
        }
    }
}
