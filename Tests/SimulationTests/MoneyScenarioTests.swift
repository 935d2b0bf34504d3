import Foundation
import ScenarioModel
import Testing

@testable import Simulation

/// The money scenarios run end to end: invoices along the chain, reconciliation, late payment and netting, with
/// amounts worked by hand (the scenario files show the working too).
struct MoneyScenarioTests {
    static func run(text: String, directory: URL) throws -> SimulationResult {
        try Simulator(plan: SimulationPlan(ScenarioLoader.parse(text), directory: directory)).run()
    }

    static func invoices(
        _ result: SimulationResult, _ seller: String, _ buyer: String
    ) -> [SimulationResult
        .InvoiceOutcome]
    {
        result.invoices.filter { $0.seller == seller && $0.buyer == buyer }
    }

    @Test(
        "PDL-097 PDL-098 each hop invoices the month at its own price: a provider's margin is its markup on the month")
    func marginsAlongTheChain() throws {
        let result = try ScenarioRunTests.run("monthly-billing")
        // The second cycle, a full month plus the change fee, at each hop: 600.00, 660.00, 726.00, 871.20.
        let second = ["ACCESS", "REGIONAL", "WHOLESALE", "RETAIL"].map { seller in
            result.invoices.first { $0.seller == seller && $0.cycle == 2 }?.amountDue
        }
        #expect(second == [600.00, 660.00, 726.00, 871.20])
        // RETAIL invoiced 871.20 and was invoiced 726.00: 145.20, its 20 % on 726.00.
        let retailMargin = (second[3] ?? 0) - (second[2] ?? 0)
        #expect(abs(retailMargin - 145.20) < 0.005)
        // Every invoice checked by its buyer came out final, none disputed.
        #expect(result.invoices.allSatisfy { $0.answers == ["final"] && $0.disputedLines == 0 })
    }

    @Test("PDL-097 each breached daily report is credited at the contracted 1 % of the month, down and up the chain")
    func breachCredits() throws {
        let result = try ScenarioRunTests.run("performance-credits")
        // 25 started days less 24 credits, then a full month less 30, plus VAT (see the scenario file): CHEAP
        // 178.00 and 210.00 + 10 %, RETAIL 213.60 and 252.00 + 20 %.
        #expect(Self.invoices(result, "CHEAP", "RETAIL").map(\.amountDue) == [195.80, 231.00])
        #expect(Self.invoices(result, "RETAIL", "ENTERPRISE").map(\.amountDue) == [256.32, 302.40])
        // RETAIL's B-BUS pays the tax its contract says on the lines it agreed.
        #expect(Self.invoices(result, "CHEAP", "RETAIL").first?.paid == 195.80)
        // RETAIL's B-BUS found every credit in the reports it received: nothing disputed, both final.
        #expect(
            Self.invoices(result, "CHEAP", "RETAIL").allSatisfy { $0.answers == ["final"] && $0.disputedLines == 0 })
        #expect(Self.invoices(result, "CHEAP", "RETAIL").map(\.lines) == [25, 31])
    }

    @Test("PDL-097 metered traffic is charged per started gigabyte at each contract's rate, down and up the chain")
    func usageCharged() throws {
        let result = try ScenarioRunTests.run("usage-billing")
        // 25 days of 300.00 and 960 GB at 0.02, then a month and 1,190 GB (the outage day less); RETAIL the same at
        // 360.00 and 0.05 (see the scenario file).
        #expect(Self.invoices(result, "ACCESS", "RETAIL").map(\.amountDue) == [269.20, 323.80])
        #expect(Self.invoices(result, "RETAIL", "ENTERPRISE").map(\.amountDue) == [348.00, 419.50])
        // RETAIL's B-BUS found every usage line in the reports it received: final, nothing disputed.
        #expect(
            Self.invoices(result, "ACCESS", "RETAIL").allSatisfy { $0.answers == ["final"] && $0.disputedLines == 0 })
        #expect(Self.invoices(result, "ACCESS", "RETAIL").map(\.lines) == [2, 2])
    }

    @Test("PDL-109 the late payer's payments are recorded ten days late; every other payment is on time")
    func latePaymentsVisible() throws {
        let result = try ScenarioRunTests.run("monthly-billing")
        #expect(
            Self.invoices(result, "REGIONAL", "WHOLESALE").compactMap(\.daysLate) == Array(repeating: 10, count: 11))
        #expect(Self.invoices(result, "ACCESS", "REGIONAL").compactMap(\.daysLate) == Array(repeating: 0, count: 11))
        // The twelfth cycle's bills (day 360) fall due on day 375, after the run's 365 days: unpaid.
        let last = result.invoices.filter { $0.cycle == 12 }
        #expect(last.count == 4 && last.allSatisfy { $0.paid == nil })
    }

    @Test("PDL-103 PDL-104 the overcharged line is disputed, corrected from the ledger facts, and the invoice is final")
    func disputedLineCorrected() throws {
        let result = try ScenarioRunTests.run("invoice-dispute")
        let bill = try #require(Self.invoices(result, "CARRIER", "SHOP").first)
        // 733.34 + 666.67 invoiced; the first line corrected to 666.67: 1,333.34 final and paid.
        #expect(bill.amountDue == 1400.01)
        #expect(bill.answers == ["partial", "final"])
        #expect(bill.correctedLines == 1 && bill.upheldLines == 0)
        #expect(bill.finalAmount == 1333.34 && bill.paid == 1333.34)
        #expect(result.auditFindings.isEmpty)
    }

    @Test("PDL-110 mutual traders net each cycle: the larger debtor pays the difference, the other nothing")
    func nettingPaysTheNet() throws {
        let result = try ScenarioRunTests.run("netting")
        // Cycle 1: NORTH owes 396.00, is owed 366.67, pays 29.33; cycle 2: SOUTH owes 550.00 − 540.00 = 10.00.
        #expect(Self.invoices(result, "SOUTH", "NORTH").map(\.paid) == [29.33, nil])
        #expect(Self.invoices(result, "NORTH", "SOUTH").map(\.paid) == [nil, 10.00])
        #expect(result.invoices.allSatisfy { $0.nettedWith != nil })
    }

    @Test("an invoice expectation with a wrong amount fails and says what the amounts were")
    func wrongAmountFails() throws {
        let (text, directory) = try ScenarioLoader.embedded("invoice-dispute")
        let altered = text.replacingOccurrences(of: "amounts: [1400.01]", with: "amounts: [1400.00]")
        #expect(altered != text)
        let result = try Self.run(text: altered, directory: directory)
        let failed = result.expectations.filter { !$0.passed }
        #expect(failed.count == 1)
        #expect(failed.first?.detail.contains("amounts are 1400.01") == true)
    }

    @Test("a money scenario run twice gives the same ledger head hashes")
    func moneyDeterministic() throws {
        let first = try ScenarioRunTests.run("netting")
        let second = try ScenarioRunTests.run("netting")
        #expect(first.ledgers.map(\.head) == second.ledgers.map(\.head))
        #expect(first.invoices.map(\.id) == second.invoices.map(\.id))
    }
}
