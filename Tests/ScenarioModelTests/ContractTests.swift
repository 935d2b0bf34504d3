import Foundation
import ScenarioModel
import SupplyChain
import Testing

/// `contracts:` in a scenario file: defaults a user would expect, every field read, and bad values refused with the
/// path of the field (the CLI exits 2).
struct ContractTests {
    static func plan(_ contracts: String) throws -> SimulationPlan {
        let yaml = """
            name: contracts
            start: 2026-03-01T00:00:00Z
            providers:
              - { id: SHOP, sellers: [CARRIER] }
              - { id: CARRIER, catalog: [{ offering: EPL, cost: 100 }] }
            demand:
              - { id: d, buyer: BIGCO, seller: SHOP, items: [{ id: i, offering: EPL }] }
            contracts:
            \(contracts)
            """
        return try SimulationPlan(ScenarioLoader.parse(yaml), directory: URL(fileURLWithPath: "/"))
    }

    @Test("a contract naming only its parties gets the defaults: EUR, 30x30, fiat, any difference disputed, no netting")
    func defaults() throws {
        let plan = try Self.plan("  - { seller: CARRIER, buyer: SHOP }")
        let contract = try #require(plan.contracts.first)
        #expect(contract.seller == "CARRIER" && contract.buyer == "SHOP")
        #expect(contract.currency == "EUR")
        #expect(contract.terms == PaymentTerms(cycleDays: 30, dueDays: 30))
        #expect(contract.paymentMethod == PaymentMethod(kind: .fiat, asset: "EUR", network: nil))
        #expect(contract.disputeThreshold == DisputeThreshold(absoluteMinorUnits: 0, relativeBasisPoints: 0))
        #expect(!contract.netting)
        #expect(contract.paymentDelay == .zero)
        // The first cycle starts with the scenario: 2026-03-01T00:00:00Z.
        #expect(contract.anchor == Instant(milliseconds: 1_772_323_200_000))
    }

    @Test("PDL-101 PDL-108 every field of a contract is read: terms, a stablecoin method, the threshold, netting")
    func everyField() throws {
        let plan = try Self.plan(
            """
              - seller: CARRIER
                buyer: SHOP
                currency: USD
                paymentTerms: 30x15
                paymentMethod: { kind: stablecoin, asset: USDC, network: ethereum }
                disputeThreshold: { absolute: 5.00, relative: 1% }
                netting: true
                paymentDelay: 10d
              - { seller: SHOP, buyer: BIGCO, paymentTerms: 7x3 }
            """)
        let carrier = try #require(plan.contracts.first)
        #expect(carrier.currency == "USD")
        #expect(carrier.terms == PaymentTerms(cycleDays: 30, dueDays: 15))
        #expect(carrier.paymentMethod == PaymentMethod(kind: .stablecoin, asset: "USDC", network: "ethereum"))
        // 5.00 USD = 500 cents; 1 % = 100 basis points.
        #expect(carrier.disputeThreshold == DisputeThreshold(absoluteMinorUnits: 500, relativeBasisPoints: 100))
        #expect(carrier.netting && carrier.paymentDelay == .days(10))
        // A retail buyer may be invoiced too; a 7-day cycle: the second period is days 7 to 14.
        let retail = try #require(plan.contracts.last)
        #expect(retail.buyer == "BIGCO")
        #expect(retail.period(1).start == retail.anchor + .days(7) && retail.period(1).end == retail.anchor + .days(14))
    }

    @Test(
        "a bad contract is refused with the path of the bad field",
        arguments: [
            ("  - { seller: CARRIER, buyer: SHOP, paymentTerms: 30-15 }", "contracts[0].paymentTerms"),
            ("  - { seller: CARRIER, buyer: SHOP, paymentTerms: 0x15 }", "contracts[0].paymentTerms"),
            (
                "  - { seller: CARRIER, buyer: SHOP, paymentMethod: { kind: cheque } }",
                "contracts[0].paymentMethod.kind"
            ),
            (
                "  - { seller: CARRIER, buyer: SHOP, paymentMethod: { kind: crypto } }",
                "contracts[0].paymentMethod.asset"
            ),
            ("  - { seller: CARRIER, buyer: SHOP, currency: euro }", "contracts[0].currency"),
            (
                "  - { seller: CARRIER, buyer: SHOP, disputeThreshold: { relative: lots } }",
                "contracts[0].disputeThreshold.relative"
            ),
            (
                "  - { seller: CARRIER, buyer: SHOP, disputeThreshold: { absolute: -1 } }",
                "contracts[0].disputeThreshold.absolute"
            ),
            ("  - { seller: CARRIER, buyer: SHOP, paymentDelay: soon }", "contracts[0].paymentDelay"),
            ("  - { seller: CARRIER, buyer: SHOP, manualResolution: coin }", "contracts[0].manualResolution"),
            ("  - { seller: CARRIER, buyer: SHOP, usageRate: -0.02 }", "contracts[0].usageRate"),
            (
                "  - { seller: CARRIER, buyer: SHOP, manualDecisions: [{ service: S, cycle: 0, decision: coin }] }",
                "contracts[0].manualDecisions[0].decision"
            ),
            (
                "  - { seller: CARRIER, buyer: SHOP, manualDecisions: [{ service: S, cycle: -1, decision: buyer }] }",
                "contracts[0].manualDecisions[0].cycle"
            ),
            ("  - { seller: TELCO, buyer: SHOP }", "contracts[0].seller"),
            ("  - { seller: CARRIER, buyer: NOBODY }", "contracts[0].buyer"),
            ("  - { seller: SHOP, buyer: SHOP }", "contracts[0].buyer"),
            ("  - { seller: CARRIER, buyer: SHOP }\n  - { seller: CARRIER, buyer: SHOP }", "contracts[1]"),
        ])
    func badContract(contracts: String, path: String) throws {
        do {
            _ = try Self.plan(contracts)
            Issue.record("accepted: \(contracts)")
        } catch let error as ScenarioError {
            #expect(error.path == path, "\(error)")
        }
    }

    @Test("a misspelt key in a contract is refused with its path and the key meant")
    func misspeltKey() throws {
        do {
            _ = try Self.plan("  - { seller: CARRIER, buyer: SHOP, paymentTerm: 30x15 }")
            Issue.record("a misspelt key was accepted")
        } catch let error as ScenarioError {
            #expect(error.path == "contracts[0].paymentTerm")
            #expect(error.message.contains("paymentTerms"))
        }
    }

    @Test("the contract sections' key lists name exactly their properties")
    func keyListsMatchProperties() throws {
        func check<Section: Decodable & KnownKeys>(_ type: Section.Type, minimal: String) throws {
            let instance = try ScenarioLoader.decodeStrictly(type, from: minimal)
            #expect(Set(Section.knownKeys.keys) == Set(Mirror(reflecting: instance).children.compactMap(\.label)))
        }
        try check(Scenario.ContractSpec.self, minimal: "{ seller: A, buyer: B }")
        try check(Scenario.PaymentMethodSpec.self, minimal: "{}")
        try check(Scenario.ThresholdSpec.self, minimal: "{}")
    }
}
