import Foundation
import Ledger
import ScenarioModel
import SupplyChain
import Testing

@testable import Simulation

/// `broker simulate --witness`: an in-process witness cosigns every checkpoint the run makes.
struct WitnessedRunTests {
    @Test("a witnessed run: the last checkpoint of every ledger carries a valid witness cosignature, audit clean")
    func witnessedScenario() throws {
        let (scenario, directory) = try ScenarioLoader.load("diamond")
        let simulator = try Simulator(plan: SimulationPlan(scenario, directory: directory), witnessed: true)
        let result = try simulator.run()
        #expect(result.auditFindings == [])
        let key = try #require(simulator.witnessKey)
        #expect(key.name == "witness")
        let witnessed = try simulator.witnessedCheckpoints()
        #expect(witnessed.count == result.ledgers.count)
        #expect(Set(witnessed.compactMap(\.ledgerID?.rawValue)) == Set(result.ledgers.map(\.ledgerID)))
        for checkpoint in witnessed {
            #expect(checkpoint.signatureStatus(of: key.name, publicKey: key.publicKey) == .valid)
            #expect(result.ledgers.first { $0.ledgerID == checkpoint.ledgerID?.rawValue }?.entries == checkpoint.size)
        }
        // The same seed gives the same witness.
        let again = try Simulator(plan: SimulationPlan(scenario, directory: directory), witnessed: true)
        #expect(again.witnessKey == key)
    }

    @Test("a ledger that grows past two checkpoints is witnessed at each, with consistency proofs between them")
    func witnessedGrowth() throws {
        let book = try LedgerBook(seed: 7, directory: nil, witnessed: true)
        let start = Instant(milliseconds: 1_767_603_600_000)
        for index in 1...600 {
            try book.record(
                LedgerRecord(counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:]),
                by: "BUYER", at: start)
        }
        try book.checkpointAll()
        let ledger = try #require(book.ledgers.values.first)
        let witness = try #require(book.witness)
        #expect(try witness.latest(of: ledger.id)?.size == 600)
        #expect(try witness.refusals(of: ledger.id) == [])
        for party: PartyID in ["BUYER", "SELLER"] {
            let stored = try book.store(party).checkpoints(of: ledger.id)
            #expect(stored.map(\.size) == [256, 512, 600])
            #expect(
                stored.allSatisfy {
                    $0.signatureStatus(of: "witness", publicKey: witness.key.publicKey) == .valid
                })
        }
    }
}
