import Foundation
import Ledger
import Node
import ScenarioModel
import Simulation
import SupplyChain
import Testing

/// Money on live nodes: the money scenarios run by `broker cluster` (stepped clock) give the simulator's invoices,
/// answers and payments to the cent, with every ledger clean and the money audit clean on the run's copies.
extension ClusterTests {
    @Test(
        "PDL-100 PDL-107 the money scenarios on live nodes: the simulator's invoices, answers, final amounts and payments to the cent; ledgers and money audit clean",
        arguments: [
            "monthly-billing", "invoice-dispute", "netting", "partial-reconciliation", "sla-credit",
            "performance-credits", "usage-billing",
        ])
    func moneyScenarioLive(_ name: String) async throws {
        let (plan, runner) = try Self.embeddedRunner(name)
        #expect(runner.clock == .stepped)
        let live = try await runner.run()
        let simulated = try Simulator(plan: plan).run()
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")
        #expect(!simulated.invoices.isEmpty)
        // Every invoice of the simulator has its live counterpart under the same id: a missing one fails here.
        try #require(live.invoices.count == simulated.invoices.count)
        let liveInvoices = Dictionary(uniqueKeysWithValues: live.invoices.map { ($0.id, $0) })
        for expected in simulated.invoices {
            let actual = try #require(liveInvoices[expected.id], "\(expected.id) not issued on the cluster")
            let id = expected.id
            #expect(actual.seller == expected.seller, "\(id)")
            #expect(actual.buyer == expected.buyer, "\(id)")
            #expect(actual.cycle == expected.cycle, "\(id)")
            #expect(actual.billDate == expected.billDate, "\(id)")
            #expect(actual.dueDate == expected.dueDate, "\(id)")
            #expect(actual.amountDue == expected.amountDue, "\(id)")
            #expect(actual.lines == expected.lines, "\(id)")
            #expect(actual.carriedLines == expected.carriedLines, "\(id)")
            #expect(actual.creditNote == expected.creditNote, "\(id)")
            #expect(actual.answers == expected.answers, "\(id)")
            #expect(actual.disputedLines == expected.disputedLines, "\(id)")
            #expect(actual.correctedLines == expected.correctedLines, "\(id)")
            #expect(actual.upheldLines == expected.upheldLines, "\(id)")
            #expect(actual.finalAmount == expected.finalAmount, "\(id)")
            #expect(actual.paid == expected.paid, "\(id)")
            #expect(actual.paidAt == expected.paidAt, "\(id)")
            #expect(actual.daysLate == expected.daysLate, "\(id)")
            #expect(actual.nettedWith == expected.nettedWith, "\(id)")
            #expect(actual.net == expected.net, "\(id)")
        }
        // `broker audit money` on the run directory: every final line backed, totals and payments add up.
        var copies: [LedgerCopy] = []
        let files = try FileManager.default.contentsOfDirectory(atPath: runner.workDirectory.path)
            .filter { $0.hasSuffix(".sqlite") }.sorted()
        for file in files {
            let path = runner.workDirectory.appendingPathComponent(file).path
            copies += try LedgerFile.open(path: path)?.copies ?? []
        }
        #expect(!copies.isEmpty)
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        #expect(findings.isEmpty, "\(findings)")
    }
}
