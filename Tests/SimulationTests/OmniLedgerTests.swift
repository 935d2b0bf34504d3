import CanonicalJSON
import Foundation
import GRDB
import Ledger
import ScenarioModel
import SupplyChain
import Testing

@testable import Simulation

/// The omni-lateral ledger (LEDGER.md §13) on the `performance-reports` scenario: ACCESS reports daily to REGIONAL
/// for 30 days, with a 4-hour repair outage on its line on 2026-01-30 (the twelfth report, C(t) 9.489).
@Suite(.serialized)
struct OmniLedgerTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("omni-\(UUID().uuidString)")
    /// The twelfth report's interval starts 2026-01-30T09:00:00.160Z.
    static let outageReport = "ACCESS-svc-3@1769767200160"

    func run() throws -> SimulationResult {
        try ScenarioRunTests.run("performance-reports", out: directory)
    }

    func omni(_ publisher: String) throws -> OmniLedger {
        try #require(try OmniLedger(readOnlyPath: directory.appendingPathComponent("\(publisher).omni.sqlite").path))
    }

    /// REGIONAL's copy of its ledger with ACCESS.
    func regionalCopy(_ result: SimulationResult) throws -> [LedgerEntry] {
        let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("REGIONAL.sqlite").path)
        let summary = try #require(result.ledgers.first { Set($0.parties) == ["ACCESS", "REGIONAL"] })
        return try store.entries(of: LedgerID(rawValue: summary.ledgerID))
    }

    @Test("PDL-115 the score is published on the omni-lateral ledger as x.y:n and countersigned by the buyer")
    func published() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let omni = try omni("ACCESS")
        let entries = try omni.entries()
        #expect(entries.count == 30)
        #expect(entries.allSatisfy { $0.kind == "reputation.published" && $0.refs == ["provider": "ACCESS"] })
        #expect(entries.first?.body["reputation"] == "9.9:1")
        // The twelfth: eleven records of 9.9 and the outage day's 9.489, newest weighted 12:
        // (12·9489 + 66·9900) / 78 = 9836 thousandths, published 9.8:12.
        let twelfth = entries[11]
        #expect(twelfth.body["reputation"] == "9.8:12")
        #expect(twelfth.body["score"] == 9836)
        #expect(twelfth.body["records"]?.arrayValue?.count == 12)
        let newest = try #require(twelfth.body["records"]?.arrayValue?.last)
        #expect(newest["report"] == .string(Self.outageReport))
        #expect(newest["score"] == 9489)
        // REGIONAL, the only buyer holding ACCESS's records, countersigned every publication with its key.
        let verdicts = try omni.verdicts()
        #expect(verdicts.count == 30)
        #expect(verdicts.allSatisfy { $0.party == "REGIONAL" && $0.isEndorsement })
        let regionalKey = try regionalPublicKey()
        #expect(verdicts.allSatisfy { $0.verifies(under: regionalKey) })
        #expect(result.omniLedgers.first { $0.publisher == "ACCESS" }?.countersigned == 30)
        #expect(result.auditFindings.isEmpty)
    }

    func regionalPublicKey() throws -> Data {
        let file = try LedgerFile(path: directory.appendingPathComponent("REGIONAL.sqlite").path)
        let header = try #require(
            file.copies.first { [$0.header.partyA, $0.header.partyB].contains("ACCESS") }?.header)
        return try #require(Data(hexString: header.partyA == "REGIONAL" ? header.publicKeyA : header.publicKeyB))
    }

    @Test("a neighbour refuses a publication that scores a report of its copy higher than the report says")
    func inflatedRecord() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let honest = try #require(try omni("ACCESS").entries().dropFirst(11).first)
        var records = try honest.body["records"].map { try $0.decode([ReputationRecord].self) } ?? []
        records[11] = ReputationRecord(
            buyer: "REGIONAL", serviceID: "ACCESS-svc-3", reportID: Self.outageReport, score: 9_900)
        let forged = try #require(ReputationPublication(history: records, window: 12))
        #expect(forged.reputation == "9.9:12")
        let entry = try Self.sign(forged, time: honest.time)
        let refusal = OmniReview.review(entry, by: "REGIONAL", copy: try regionalCopy(result))
        #expect(refusal?.reason == "report \(Self.outageReport) scores 9489 on my copy, not 9900")
    }

    @Test("a neighbour refuses a publication that leaves out one of its reports")
    func omittedRecord() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let entries = try omni("ACCESS").entries()
        let first = try #require(try entries[0].body["records"]?.decode([ReputationRecord].self))
        let thirteenth = try #require(try entries[12].body["records"]?.decode([ReputationRecord].self))
        // Drop the outage day and fill the window with the oldest record: twelve records, arithmetic right.
        let history = first + thirteenth.filter { $0.reportID != Self.outageReport }
        let forged = try #require(ReputationPublication(history: history, window: 12))
        #expect(forged.records.count == 12 && !forged.records.contains { $0.reportID == Self.outageReport })
        let entry = try Self.sign(forged, time: entries[12].time)
        let refusal = OmniReview.review(entry, by: "REGIONAL", copy: try regionalCopy(result))
        #expect(refusal?.reason == "report \(Self.outageReport) delivered to me at 1769853600160 is left out")
        // The honest thirteenth publication passes the same review.
        #expect(OmniReview.review(entries[12], by: "REGIONAL", copy: try regionalCopy(result)) == nil)
    }

    @Test("the audit finds an altered publication and a missing countersignature in the omni-lateral file")
    func audit() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try run()
        let path = directory.appendingPathComponent("ACCESS.omni.sqlite").path
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(
                sql: "UPDATE omni_entries SET body = replace(body, '\"9.8:12\"', '\"9.9:12\"') WHERE seq = 12")
            try db.execute(sql: "DELETE FROM omni_verdicts WHERE seq = 20")
        }
        try database.close()
        let findings = OmniReview.audit(try omni("ACCESS")) { _ in nil }
        #expect(findings.map(\.rule) == [.badEntryHash, .missingEndorsement])
        #expect(findings.map(\.seq) == [12, 20])
    }

    static func sign(_ publication: ReputationPublication, time: Int64) throws -> LedgerEntry {
        let key = try PartyKey(party: "ACCESS", seed: Data(repeating: 7, count: 32))
        return try LedgerEntry.signed(
            by: key, ledgerID: OmniLedger.derivedID(publisher: "ACCESS", genesisNonce: Data([1])), seq: 13,
            prevHash: LedgerEntry.genesisPrevHash, time: time, kind: ReputationPublication.kind,
            refs: ["provider": "ACCESS"], body: publication.ledgerBody)
    }
}

extension OmniLedgerTests {
    @Test("publishReputationEvery spaces the publications: at least ten days apart with 10d")
    func cadence() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (text, scenarioDirectory) = try ScenarioLoader.embedded("performance-reports")
        let edited = text.replacingOccurrences(
            of: "- id: ACCESS\n", with: "- id: ACCESS\n    publishReputationEvery: 10d\n")
        #expect(edited != text)
        _ = try Simulator(
            plan: SimulationPlan(ScenarioLoader.parse(edited), directory: scenarioDirectory), ledgerDirectory: directory
        ).run()
        let times = try omni("ACCESS").entries().map(\.time)
        #expect(times.count >= 2 && times.count < 30)
        for (earlier, later) in zip(times, times.dropFirst()) { #expect(later - earlier >= 10 * 86_400_000) }
        // The newest publication still rests on every record since the last: the window's n records.
        let last = try #require(try omni("ACCESS").entries().last)
        #expect(last.body["records"]?.arrayValue?.count == last.body["window"]?.numberValue.map { Int($0) })
    }
}
