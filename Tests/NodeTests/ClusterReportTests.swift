import Foundation
import Ledger
import Node
import ScenarioModel
import Synchronization
import Testing

/// `broker cluster --report`: the report of a live run, from the ledger copies the nodes left in the work directory,
/// and the progress a stepped run reports as its clocks move.
struct ClusterReportTests {
    @Test func reportOfALiveRunHasEveryLedgerAndDemandAndReportsProgress() async throws {
        var (plan, runner) = try ClusterTests.embeddedRunner("order-delivery")
        defer { try? FileManager.default.removeItem(at: runner.workDirectory) }
        let reports = Mutex<[RunProgress]>([])
        runner.onProgress = { progress in reports.withLock { $0.append(progress) } }
        let result = try await runner.run()
        let copies = try runner.ledgerCopies()
        #expect(copies.map(\.id.rawValue).sorted() == result.ledgers.map(\.ledgerID).sorted())
        for ledger in copies {
            #expect(ledger.copies.count == 2, "\(ledger.id)")
            let summary = try #require(result.ledgers.first { $0.ledgerID == ledger.id.rawValue })
            #expect(ledger.copies.allSatisfy { UInt64($0.entries.count) == summary.entries }, "\(ledger.id)")
        }
        let html = RunReport(plan: plan, result: result, ledgers: copies, driver: "live cluster").html
        #expect(html.components(separatedBy: "<section class=\"demand\"").count - 1 == plan.demands.count)
        #expect(html.components(separatedBy: "<section class=\"ledger\"").count - 1 == result.ledgers.count)
        #expect(html.contains("Drawn from the items' paths"))
        #expect(!html.contains(">hash mismatch") && !html.contains("copies differ"))

        let seen = reports.withLock { $0 }
        #expect(!seen.isEmpty)
        #expect(seen.map(\.events) == seen.map(\.events).sorted(), "steps only grow")
        #expect(seen.last?.answers == plan.demands.count)
    }
}
