import Foundation
import Hummingbird
import Ledger
import Sonata

extension NodeRoutes {
    /// A batch of entries proposed in one message (`POST /ledger/v1/{ledger}/entries` with a JSON array, batched
    /// agreement): 200 with the countersigned prefix, 409 with this copy's head when the first entry does not sit
    /// on it, 422 when the first entry is refused (nothing stored). `crashPoint` (tests only) may kill the process
    /// once the batch is committed here, before the answer leaves.
    static func receiveBatch(
        _ incoming: Incoming, replica: LedgerReplica, behind: @Sendable (PartyID) -> Void, now: Int64?,
        crashPoint: CrashPoint? = nil
    ) -> Response {
        // The route parsed the body already (strict I-JSON).
        let entries =
            if let json = incoming.json {
                try? LedgerEntry.entries(wireValue: json, text: incoming.body)
            } else {
                try? LedgerEntry.entries(wireData: incoming.body)
            }
        guard let entries, !entries.isEmpty else {
            return error(MEFError(code: .invalidBody, reason: "not a non-empty array of ledger entries"))
        }
        guard entries.count <= LedgerReplica.largestBatch else {
            return error(
                MEFError(
                    code: .invalidValue,
                    reason: "a batch of \(entries.count) entries; at most \(LedgerReplica.largestBatch)",
                    propertyPath: "/"))
        }
        do {
            let before = replica.head.seq
            switch try replica.receiveBatch(entries, now: now) {
            case .countersigned(let agreed):
                crashPoint?.reach(.receiverCommitted, entries: agreed.filter { $0.seq > before }.count)
                return json(.ok, wire: LedgerEntry.wireData(agreed))
            case .conflict(let head):
                if entries[0].seq > head.seq + 1 { behind(incoming.party) }
                return json(.conflict, head)
            }
        } catch let error as LedgerError {
            return Self.error(MEFError(code: .invalidValue, reason: "entry refused: \(error)", propertyPath: "/0"))
        } catch {
            return Self.error(MEFError(code: .internalError, reason: "entries not stored"))
        }
    }
}
