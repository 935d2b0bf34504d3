import CanonicalJSON
import Ledger
import SupplyChain

/// A quote this provider gave: what each item was, its answer, and every deliverable source ranked best first
/// (the first is what was quoted; the others are the alternatives the SCO falls back on after a failure).
struct QuoteRecord: Sendable {
    let buyer: PartyID
    /// The buyer's id of the inquiry it answered (the `request` ref of its ledger entries).
    let requestID: RequestID
    let reference: String
    let kind: RequestKind
    let items: [String: JSONValue]
    private(set) var answers: [ItemAnswer]
    private(set) var sources: [String: [Candidate]]
    let validUntil: Instant?
    /// Whether the answers and sources were dropped: the quote expired or was declined, so no order can use them.
    private(set) var offersForgotten = false

    init(
        buyer: PartyID, requestID: RequestID, reference: String, kind: RequestKind, items: [String: JSONValue],
        answers: [ItemAnswer],
        sources: [String: [Candidate]], validUntil: Instant?
    ) {
        self.buyer = buyer
        self.requestID = requestID
        self.reference = reference
        self.kind = kind
        self.items = items
        self.answers = answers
        self.sources = sources
        self.validUntil = validUntil
    }

    /// Drops what only an order accepted against this quote reads. What stays (buyer, kind, validity, items) is
    /// what the order desk's refusal (PDL-023) and the live node's order route read, so they answer as before.
    mutating func forgetOffers() {
        answers = []
        sources = [:]
        offersForgotten = true
    }
}
