import CanonicalJSON
import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

/// MEF 79.1 against a seller's catalog across a hop (scenario `catalog-rules`), read from the answers on the ledgers:
/// SHOP asks BROKER by product specification EPL-SPEC; BROKER buys from CARRIER, whose EPL-SPEC offerings are
/// EPL-BASIC (yellow at PARIS-1) and EPL-GOLD (green there).
struct CatalogRulesTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")

    /// The first item of the Sonata POQ in the `quote.response` entry `holder` keeps with `counterparty`.
    func answeredItem(_ holder: String, with counterparty: String, in result: SimulationResult) throws -> JSONValue {
        let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("\(holder).sqlite").path)
        let summary = try #require(result.ledgers.first { Set($0.parties) == [holder, counterparty] })
        let answer = try #require(
            try store.entries(of: LedgerID(rawValue: summary.ledgerID)).first { $0.kind == "quote.response" })
        return try #require(
            answer.body["productOfferingQualification"]?["productOfferingQualificationItem"]?.arrayValue?.first)
    }

    @Test("MEF79-R13 MEF79-R14 CARRIER answers the request by specification with its green offering, EPL-GOLD")
    func sellerChoosesGreenOffering() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("catalog-rules", out: directory)
        let item = try answeredItem("CARRIER", with: "BROKER", in: result)
        #expect(item["product"]?["productOffering"] == ["id": "EPL-GOLD"])
        #expect(item["serviceabilityConfidence"] == "green")
    }

    @Test("MEF79-R16 BROKER's answer to SHOP keeps the specification asked for and names the offering under it")
    func answerMatchesSpecification() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("catalog-rules", out: directory)
        let item = try answeredItem("BROKER", with: "SHOP", in: result)
        #expect(item["product"]?["productSpecification"] == ["id": "EPL-SPEC"])
        #expect(item["product"]?["productOffering"] == ["id": "EPL-GOLD"])
    }

    @Test("MEF79-R19 a port asked without the site its offering requires is REJECTED with the rule and the field")
    func requiredPlaceMissing() throws {
        let result = try ScenarioRunTests.run("catalog-rules")
        let demand = try #require(result.demands.first { $0.id == "no-place" })
        #expect(demand.state == "REJECTED")
        #expect(demand.items.map(\.state) == ["REJECTED"])
        #expect(
            demand.findings == [
                "/productOfferingQualificationItem/0/product/place\tMEF79-R19\tthe product specification mandates a place; "
                    + "give its role, type and place"
            ])
    }
}
