import CanonicalJSON
import Foundation
import Ledger
import Logging
import Node
import SupplyChain
import Synchronization
import Testing

/// The omni-lateral ledger between live nodes (LEDGER.md §13): SELLER publishes its SLA reputation, BUYER reviews
/// it against its own copy of their ledger, and SELLER stores the answer beside the entry.
struct OmniReviewNodeTests {
    /// The loopback transport of the restart tests, carrying reviews too.
    final class Transport: LedgerTransport, Sendable {
        let loopback = RestartLedgerTests.Loopback()
        private let peers = Mutex<[PartyID: NodeLedgers]>([:])

        func connect(_ party: PartyID, _ ledgers: NodeLedgers) {
            loopback.connect(party, ledgers)
            peers.withLock { $0[party] = ledgers }
        }

        func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome {
            try await loopback.propose(entry, to: counterparty)
        }

        func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry] {
            try await loopback.entries(of: ledger, from: seq, at: counterparty)
        }

        func review(_ entry: LedgerEntry, by neighbour: PartyID) async throws -> OmniVerdict {
            guard let peer = peers.withLock({ $0[neighbour] }) else { throw NodeError(.transport, "no \(neighbour)") }
            return try peer.review(entry, from: entry.author)
        }
    }

    static let start = Instant(milliseconds: 1_767_603_600_000)  // 2026-01-05T09:00:00Z

    /// A scheduled daily report on S-1: availability met; delay 6 ms against 5 ms when `slow`.
    static func report(day: Int64, slow: Bool) -> PerformanceReport {
        let from = start + .days(day)
        let objectives = SLAObjectives(
            availabilityPPM: 999_000, delayMicros: 5_000, frameLossPPM: 100, delayVariationMicros: 1_000)
        let measured = PerformanceMetrics(
            availabilityPPM: 1_000_000, delayMicros: slow ? 6_000 : 4_000, frameLossPPM: 50, delayVariationMicros: 700)
        return PerformanceReport(
            serviceID: "S-1", reportID: "S-1@\(from.milliseconds)", from: from, to: from + .days(1), scheduled: true,
            elements: [
                ElementPerformance(itemID: "line", source: "internal", measured: measured, objectives: objectives)
            ]
        )
    }

    func pair() throws -> (seller: NodeLedgers, buyer: NodeLedgers, transport: Transport) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("omni-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let seller = PartyKey(party: "SELLER")
        let buyer = PartyKey(party: "BUYER")
        let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]
        let transport = Transport()
        let sellerLedgers = try NodeLedgers(
            key: seller, database: directory.appendingPathComponent("seller.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"))
        let buyerLedgers = try NodeLedgers(
            key: buyer, database: directory.appendingPathComponent("buyer.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"))
        transport.connect("SELLER", sellerLedgers)
        transport.connect("BUYER", buyerLedgers)
        return (sellerLedgers, buyerLedgers, transport)
    }

    @Test("PDL-115 a live publication is reviewed by the buyer from its copy and countersigned; a forged one refused")
    func reviewedLive() async throws {
        let (seller, buyer, _) = try pair()
        let reports = [Self.report(day: 0, slow: false), Self.report(day: 1, slow: true)]
        for report in reports {
            try await seller.append(
                LedgerRecord(
                    counterparty: "BUYER", kind: .reportDelivered, refs: report.refs, body: report.ledgerBody),
                at: report.to)
        }
        let history = reports.map {
            ReputationRecord(buyer: "BUYER", serviceID: $0.serviceID, reportID: $0.reportID, score: $0.recordScore)
        }
        // C(t): 9,900 for the first; the second misses delay by 20 %: 9.9 × (1 + 0.8 + 1 + 1) / 4 = 9,405.
        #expect(history.map(\.score) == [9_900, 9_405])
        let honest = try #require(ReputationPublication(history: history, window: 2))
        // WMA over two: (2 × 9,405 + 9,900) / 3 = 9,570 → 9.5:2.
        #expect(honest.reputation == "9.5:2")
        let omni = try seller.omniLedger()
        let entry = try omni.append(
            kind: ReputationPublication.kind, refs: ["provider": "SELLER"], body: honest.ledgerBody,
            time: (Self.start + .days(2)).milliseconds + 1)
        let verdict = try buyer.review(entry, from: "SELLER")
        #expect(verdict.isEndorsement && verdict.party == "BUYER" && verdict.verifies(under: buyer.key.publicKey))
        try omni.record(verdict)
        #expect(try omni.verdicts().count == 1)

        // The same two records, the second scored as if it had met everything.
        var inflated = history
        inflated[1] = ReputationRecord(buyer: "BUYER", serviceID: "S-1", reportID: reports[1].reportID, score: 9_900)
        let forged = try #require(ReputationPublication(history: inflated, window: 2))
        let forgedEntry = try omni.append(
            kind: ReputationPublication.kind, refs: ["provider": "SELLER"], body: forged.ledgerBody,
            time: (Self.start + .days(2)).milliseconds + 2)
        let refusal = try buyer.review(forgedEntry, from: "SELLER")
        #expect(refusal.refusal == "report \(reports[1].reportID) scores 9405 on my copy, not 9900")
        #expect(refusal.verifies(under: buyer.key.publicKey))
    }

    @Test(
        "a review waits while a listed report is not on the buyer's copy yet, and a publication by another is refused")
    func notYetAndWrongAuthor() async throws {
        let (seller, buyer, _) = try pair()
        let report = Self.report(day: 0, slow: false)
        let history = [
            ReputationRecord(buyer: "BUYER", serviceID: "S-1", reportID: report.reportID, score: report.recordScore)
        ]
        let publication = try #require(ReputationPublication(history: history, window: 1))
        let entry = try seller.omniLedger().append(
            kind: ReputationPublication.kind, refs: ["provider": "SELLER"], body: publication.ledgerBody,
            time: (Self.start + .days(1)).milliseconds)
        #expect(throws: NodeError.self) { try buyer.review(entry, from: "SELLER") }
        do {
            _ = try buyer.review(entry, from: "SELLER")
        } catch {
            #expect("\(error)".contains("not yet: 1 listed reports are not on this copy yet"))
        }
        // Presented as BUYER's own publication: not signed by the party it names.
        #expect(throws: NodeError.self) { try seller.review(entry, from: "BUYER") }
        // Once the report is agreed on the copy, the same entry is countersigned.
        try await seller.append(
            LedgerRecord(counterparty: "BUYER", kind: .reportDelivered, refs: report.refs, body: report.ledgerBody),
            at: report.to)
        #expect(try buyer.review(entry, from: "SELLER").isEndorsement)
    }

    @Test("a publication stating an impossible score is refused with a reason, not a crash (no arithmetic on it)")
    func hostileScore() async throws {
        let (seller, buyer, _) = try pair()
        let body: JSONValue = [
            "records": [
                ["buyer": "BUYER", "service": "S-1", "report": "S-1@0", "score": 5_000_000_000_000_000_000],
                ["buyer": "BUYER", "service": "S-1", "report": "S-1@1", "score": 5_000_000_000_000_000_000],
            ],
            "recordsToDate": 2, "reputation": "9.9:2", "score": 9_900, "window": 2,
        ]
        let entry = try seller.omniLedger().append(
            kind: ReputationPublication.kind, refs: ["provider": "SELLER"], body: body,
            time: Self.start.milliseconds)
        #expect(OmniReview.review(entry, by: "BUYER", copy: [])?.reason == "a record's score is outside 0.0–9.9")
        // Live, the reports are not on the buyer's copy: it asks to be asked again, still without arithmetic.
        #expect(throws: NodeError.self) { try buyer.review(entry, from: "SELLER") }
    }
}
