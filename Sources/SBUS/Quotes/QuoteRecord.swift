import CanonicalJSON
import Ledger
import SupplyChain

/// A quote this provider gave: what each item was, its answer, and every deliverable source ranked best first
/// (the first is what was quoted; the others are the alternatives the SCO falls back on after a failure).
struct QuoteRecord: Sendable {
    let buyer: PartyID
    let reference: String
    let kind: RequestKind
    let items: [String: JSONValue]
    let answers: [ItemAnswer]
    let sources: [String: [Candidate]]
    let validUntil: Instant?
}
