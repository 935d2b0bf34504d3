import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

struct ScenarioRunTests {
    static func run(_ name: String, seed: UInt64? = nil, out: URL? = nil) throws -> SimulationResult {
        let (scenario, directory) = try ScenarioLoader.load(name)
        return try Simulator(
            plan: SimulationPlan(scenario, directory: directory, seedOverride: seed), ledgerDirectory: out
        )
        .run()
    }

    @Test("every embedded scenario meets all its expectations", arguments: ScenarioLoader.embeddedNames())
    func scenarioPasses(name: String) throws {
        let result = try Self.run(name)
        #expect(!result.expectations.isEmpty, "a scenario without expectations checks nothing")
        for outcome in result.expectations {
            #expect(outcome.passed, "\(name): \(outcome.expectation): \(outcome.detail)")
        }
        #expect(result.auditFindings.isEmpty)
    }

    @Test("there are at least the nine scenarios the README lists")
    func scenarioCatalogue() {
        let names = Set(ScenarioLoader.embeddedNames())
        for expected in [
            "five-hop-chain", "diamond", "loop", "mutual-trade", "silent-seller", "multi-element", "deferred-hub",
            "provide-alternate", "unable-to-meet-time", "capacity-exhausted", "chain-test", "catalog-rules",
        ] {
            #expect(names.contains(expected))
        }
    }

    @Test("the same scenario and seed give the same ledger head hashes, byte for byte")
    func determinism() throws {
        for name in ["five-hop-chain", "loop", "multi-element"] {
            let first = try Self.run(name)
            let second = try Self.run(name)
            #expect(first.ledgers.map(\.head) == second.ledgers.map(\.head))
            #expect(first.ledgers.map(\.ledgerID) == second.ledgers.map(\.ledgerID))
            #expect(first.events == second.events)
        }
    }

    @Test("another seed gives other keys, salts and head hashes but the same commercial outcome")
    func seedChangesHashesNotOutcome() throws {
        let first = try Self.run("loop", seed: 1)
        let second = try Self.run("loop", seed: 2)
        #expect(first.ledgers.map(\.head) != second.ledgers.map(\.head))
        #expect(first.demands.map(\.totalPrice) == second.demands.map(\.totalPrice))
        #expect(first.demands.flatMap(\.items).map(\.path) == second.demands.flatMap(\.items).map(\.path))
    }

    @Test("--out writes one SQLite file per party whose copies hold every entry of the run")
    func sqliteOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.run("diamond", out: directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".sqlite")
        }
        #expect(
            Set(files) == [
                "BIGCO.sqlite", "SHOP.sqlite", "WEST.sqlite", "EAST.sqlite", "TOWER.sqlite",
                "SHOP#sof.sqlite", "WEST#sof.sqlite", "EAST#sof.sqlite", "TOWER#sof.sqlite",
            ])
        let shop = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("SHOP.sqlite").path)
        for summary in result.ledgers where summary.parties.contains("SHOP") {
            let head = try shop.head(of: LedgerID(rawValue: summary.ledgerID))
            #expect(head.seq == summary.entries)
            #expect(head.hash == summary.head)
        }
    }

    @Test("an expectation that does not hold fails the run and says what was seen")
    func failingExpectation() throws {
        var (scenario, directory) = try ScenarioLoader.load("diamond")
        scenario.expect = try ScenarioLoader.parse(
            """
            name: x
            providers: [{ id: A }]
            demand: []
            expect: [{ demand: line, price: 1.00 }]
            """
        ).expect
        let result = try Simulator(plan: SimulationPlan(scenario, directory: directory)).run()
        #expect(!result.passed)
        #expect(result.expectations.first?.detail == "price is 1232.0")
    }
}
