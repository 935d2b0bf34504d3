import Foundation
import ScenarioModel
import Testing

/// The scenario files under `Scenarios/` are the ones the binary embeds: one copy, nothing left out.
struct EmbeddedScenarioTests {
    /// The repository's `Scenarios/` folder, found from this file's path (tests run from any directory).
    static let scenariosFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios")

    /// The scenario names in `Scenarios/` (file names without `.yaml`); empty when the folder cannot be read.
    static let filesInFolder: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: scenariosFolder.path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()

    @Test("every scenario file in Scenarios/ is embedded, and nothing else is")
    func everyFileEmbedded() throws {
        let files = Self.filesInFolder
        #expect(files.count >= 12)
        #expect(ScenarioLoader.embeddedNames() == files)
        #expect(files.contains(ScenarioLoader.defaultScenarioName))
    }

    @Test(
        "an embedded scenario is the file in Scenarios/, byte for byte, and compiles into a plan",
        arguments: filesInFolder)
    func embeddedMatchesFile(name: String) throws {
        let embedded = try ScenarioLoader.embedded(name)
        let file = try String(contentsOf: Self.scenariosFolder.appendingPathComponent(name + ".yaml"), encoding: .utf8)
        #expect(embedded.text == file)
        let plan = try SimulationPlan(ScenarioLoader.parse(embedded.text), directory: embedded.directory)
        #expect(!plan.demands.isEmpty)
    }

    @Test("a name that is neither a file nor embedded is refused with the known names")
    func unknownName() throws {
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load("no-such-scenario") }
        #expect(error.message.contains("no embedded scenario 'no-such-scenario'"))
        #expect(error.message.contains(ScenarioLoader.defaultScenarioName))
    }
}
