import Foundation
import Hummingbird
import Ledger
import Sonata

extension NodeRoutes {
    /// A batch of entries proposed in one message (`POST /ledger/v1/{ledger}/entries` with a JSON array, batched
    /// agreement): 200 with the countersigned prefix, 409 with this copy's head when the first entry does not sit
    /// on it, 422 when the first entry is refused (nothing stored). `crashPoint` (tests only) may kill the process
    /// once the batch is committed here, before the answer leaves.
    ///
    /// A batch that continues this copy's own entries — countersigned by the counterparty, not yet committed here
    /// (`LedgerReplica.continuesPendingProposal`) — waits for that commit, at most `holdLimit`, before it is
    /// taken: answered with a conflict, it would cost the counterparty a round trip, a fetch of entries and a
    /// back-off, for a head that moves a few milliseconds later.
    static func receiveBatch(
        _ incoming: Incoming, replica: LedgerReplica, behind: @escaping @Sendable (PartyID) -> Void, now: Int64?,
        crashPoint: CrashPoint? = nil, countersignaturesOnly: Bool = false
    ) async -> Response {
        let step = await BlockingWork.run {
            receiveBatch(
                incoming, replica: replica, behind: behind, now: now, crashPoint: crashPoint, hold: true,
                countersignaturesOnly: countersignaturesOnly)
        }
        let entries: [LedgerEntry]
        switch step {
        case .answered(let response): return response
        case .held(let held): entries = held
        }
        let clock = ContinuousClock()
        let end = clock.now + holdLimit
        while clock.now < end, replica.continuesPendingProposal(entries[0]) {
            try? await Task.sleep(for: .milliseconds(1))
        }
        return await BlockingWork.run {
            answer(
                entries, replica: replica, party: incoming.party, behind: behind, now: now, crashPoint: crashPoint,
                countersignaturesOnly: countersignaturesOnly)
        }
    }

    /// The longest a batch that continues this copy's uncommitted entries waits for their commit. A lane commits
    /// within milliseconds of the countersigned answer (tens of them on a busy node; a second leaves room for a
    /// machine far busier than that); a commit that does not come (the countersignatures did not verify here)
    /// leaves the batch to be answered with the conflict.
    public static let holdLimit: Swift.Duration = .seconds(1)

    /// What the first pass over a proposed batch did: answered it, or held it, decoded, for this copy's commit.
    enum BatchStep: Sendable {
        case answered(Response)
        case held([LedgerEntry])
    }

    /// The first pass over a proposed batch, on a ledger I/O thread: decoded, then held (`hold`) when it continues
    /// this copy's uncommitted entries, else answered.
    private static func receiveBatch(
        _ incoming: Incoming, replica: LedgerReplica, behind: @Sendable (PartyID) -> Void, now: Int64?,
        crashPoint: CrashPoint?, hold: Bool, countersignaturesOnly: Bool
    ) -> BatchStep {
        // The route parsed the body already (strict I-JSON).
        let entries =
            if let json = incoming.json {
                try? LedgerEntry.entries(wireValue: json, text: incoming.body)
            } else {
                try? LedgerEntry.entries(wireData: incoming.body)
            }
        guard let entries, !entries.isEmpty else {
            return .answered(error(MEFError(code: .invalidBody, reason: "not a non-empty array of ledger entries")))
        }
        guard entries.count <= LedgerReplica.largestBatch else {
            return .answered(
                error(
                    MEFError(
                        code: .invalidValue,
                        reason: "a batch of \(entries.count) entries; at most \(LedgerReplica.largestBatch)",
                        propertyPath: "/")))
        }
        if hold, replica.continuesPendingProposal(entries[0]) { return .held(entries) }
        return .answered(
            answer(
                entries, replica: replica, party: incoming.party, behind: behind, now: now, crashPoint: crashPoint,
                countersignaturesOnly: countersignaturesOnly))
    }

    /// The decoded batch verified, countersigned and stored (its countersigned prefix as the answer: the entries
    /// whole, or with `countersignaturesOnly` their countersignatures alone), or refused.
    private static func answer(
        _ entries: [LedgerEntry], replica: LedgerReplica, party: PartyID, behind: @Sendable (PartyID) -> Void,
        now: Int64?, crashPoint: CrashPoint?, countersignaturesOnly: Bool
    ) -> Response {
        do {
            let before = replica.head.seq
            switch try replica.receiveBatch(entries, now: now) {
            case .countersigned(let agreed):
                crashPoint?.reach(.receiverCommitted, entries: agreed.filter { $0.seq > before }.count)
                return json(
                    .ok,
                    wire: countersignaturesOnly
                        ? LedgerEntry.countersignatureWire(agreed) : LedgerEntry.wireData(agreed))
            case .conflict(let head):
                if entries[0].seq > head.seq + 1 { behind(party) }
                return json(.conflict, head)
            }
        } catch let error as LedgerError {
            return Self.error(MEFError(code: .invalidValue, reason: "entry refused: \(error)", propertyPath: "/0"))
        } catch {
            return Self.error(MEFError(code: .internalError, reason: "entries not stored"))
        }
    }
}
