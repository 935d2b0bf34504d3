import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

/// `--ledgers heads`: a long run keeps each copy's head and frontier instead of every entry. What the run decides
/// cannot depend on it; only what can be read back afterwards does.
struct HeadRetentionTests {
    static func run(_ name: String, ledgers: LedgerRetention, out: URL? = nil) throws -> SimulationResult {
        let (scenario, directory) = try ScenarioLoader.load(name)
        return try Simulator(
            plan: SimulationPlan(scenario, directory: directory), ledgerDirectory: out, ledgers: ledgers
        ).run()
    }

    @Test(
        "head-only ledgers give the same heads, entry counts, kinds and outcomes as full ones",
        arguments: ["five-hop-chain", "order-delivery", "monthly-billing"])
    func sameRun(name: String) throws {
        let full = try Self.run(name, ledgers: .entries)
        let heads = try Self.run(name, ledgers: .heads)
        try #require(heads.ledgers.count == full.ledgers.count && !full.ledgers.isEmpty)
        for (kept, all) in zip(heads.ledgers, full.ledgers) {
            #expect(kept.ledgerID == all.ledgerID)
            #expect(kept.head == all.head && kept.entries == all.entries, "\(all.parties)")
            #expect(kept.kinds == all.kinds)
        }
        #expect(heads.demands.map(\.totalPrice) == full.demands.map(\.totalPrice))
        #expect(heads.demands.map(\.state) == full.demands.map(\.state))
        #expect(heads.passed && full.passed)
        #expect(full.auditSkipped == nil)
    }

    @Test("without --out a head-only run says its audit did not run instead of calling the copies clean")
    func auditNotClaimed() throws {
        let result = try Self.run("five-hop-chain", ledgers: .heads)
        #expect(result.auditFindings.isEmpty)
        #expect(result.auditSkipped?.hasPrefix("only heads were kept") == true)
        #expect(result.summary.contains("audit: not run: only heads were kept"))
        #expect(!result.summary.contains("every copy clean"))
        // The scenario's `ledgers: clean` is not checked, and says so: SKIP, never PASS.
        let clean = try #require(result.expectations.first { $0.expectation.hasPrefix("ledgers clean") })
        #expect(clean.skipped && clean.verdict == "SKIP")
        #expect(result.summary.contains("SKIP ledgers clean: not audited: only heads were kept"))
        #expect(!result.summary.contains("PASS ledgers clean"))
        // The same expectation on an audited run is checked.
        let audited = try Self.run("five-hop-chain", ledgers: .entries)
        #expect(audited.expectations.contains { $0.expectation == "ledgers clean" && $0.verdict == "PASS" })
    }

    @Test("with --out a head-only run writes every entry and audits the files: clean, same heads")
    func streamedToSQLite() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let full = try Self.run("order-delivery", ledgers: .entries)
        let heads = try Self.run("order-delivery", ledgers: .heads, out: out)
        #expect(heads.auditSkipped == nil)
        #expect(heads.auditFindings.isEmpty, "\(heads.auditFindings)")
        #expect(heads.ledgers.map(\.head) == full.ledgers.map(\.head))
        // The files hold every entry: the audit of a copy on disk agrees with the count in the summary.
        let retail = heads.ledgers[0]
        let store = try SQLiteLedgerStore(
            path: out.appendingPathComponent("\(retail.parties[0]).sqlite").path, durability: .normal)
        #expect(try UInt64(store.entries(of: LedgerID(rawValue: retail.ledgerID)).count) == retail.entries)
    }
}
