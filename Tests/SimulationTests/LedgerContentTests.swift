import CanonicalJSON
import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

/// What the simulated chains leave on the ledgers, read back from the SQLite files an auditor would get.
struct LedgerContentTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledgers-\(UUID().uuidString)")

    func entries(_ holder: String, with counterparty: String, in result: SimulationResult) throws -> [LedgerEntry] {
        let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("\(holder).sqlite").path)
        let summary = try #require(result.ledgers.first { Set($0.parties) == [holder, counterparty] })
        return try store.entries(of: LedgerID(rawValue: summary.ledgerID))
    }

    /// The five hops of `five-hop-chain`, buyer first.
    static let hops = [
        ("ACME", "RETAIL"), ("RETAIL", "METRO"), ("METRO", "NATIONAL"), ("NATIONAL", "REGIONAL"),
        ("REGIONAL", "ACCESS"),
    ]

    @Test("PDL-005 each hop's request carries the pseudo-anonymous list of every buyer upstream")
    func loopListOnEveryHop() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("five-hop-chain", out: directory)
        for (depth, (buyer, seller)) in Self.hops.enumerated() {
            let request = try #require(try entries(buyer, with: seller, in: result).first)
            #expect(request.kind == "inquiry.request")
            #expect(request.body["loopPreventionList"]?.arrayValue?.count == depth, "\(buyer)↔\(seller)")
        }
    }

    @Test("PDL-007 PDL-012 PDL-017 every hop records request, receipt and answer, the answer under the seller's id")
    func everyHopRecorded() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("five-hop-chain", out: directory)
        for (buyer, seller) in Self.hops {
            // The buyer's copy (the seller's answer is on the B-BUS's downstream ledger, PDL-012) …
            let copy = try entries(buyer, with: seller, in: result)
            #expect(copy.map(\.kind) == ["inquiry.request", "inquiry.receipt", "quote.response"])
            #expect(copy.map(\.author.rawValue) == [buyer, seller, seller])
            #expect(copy.allSatisfy { $0.counterSignature != nil }, "every entry is agreed")
            try #require(copy.count == 3)
            // … the receipt names the seller's own unique id (PDL-007), echoed by the answer (PDL-017).
            let reference = try #require(copy[1].body["sellerReference"]?.stringValue)
            #expect(reference.hasPrefix("\(seller)-quote-"))
            #expect(copy[2].refs["quote"] == reference)
            #expect(copy[2].body["state"]?.stringValue == "READY")
            #expect(copy[2].body["quote"]?["validUntil"] != nil)
            // The seller's copy is the same chain.
            #expect(try entries(seller, with: buyer, in: result) == copy)
        }
    }

    @Test("PDL-010 PDL-013 each provider's SOF answers are on its internal ledger")
    func sofAnswersOnInternalLedger() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("multi-element", out: directory)
        let internalLedger = try entries("INTEGRATOR", with: "INTEGRATOR#sof", in: result)
        #expect(internalLedger.map(\.kind) == Array(repeating: "sof.answer", count: 4))
        #expect(internalLedger.map { $0.body["answer"]?.stringValue } == ["YES", "NO", "YES", "NO"])
        #expect(internalLedger.map { $0.refs["element"] } == ["uni-fra", "uni-vie", "evc", "onramp"])
    }

    @Test("two providers trading both ways share one ledger on which each is author of its own answers")
    func rolesReverseOnOneLedger() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("mutual-trade", out: directory)
        let shared = try entries("NORTH", with: "SOUTH", in: result)
        let responses = shared.filter { $0.kind == "quote.response" }
        #expect(Set(responses.map(\.author.rawValue)) == ["NORTH", "SOUTH"])
        #expect(zip(shared.dropFirst(), shared).allSatisfy { $0.prevHash == $1.entryHash })
    }
}
