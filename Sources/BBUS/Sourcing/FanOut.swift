import Ledger
import SupplyChain

/// The sellers asked about one buyer request's elements and what they said so far.
struct FanOut: Sendable {
    /// One element's sellers: those still to answer and the answers in.
    struct Item: Sendable {
        let itemID: String
        /// Seller requests still awaiting an answer: sub-request id → seller.
        var awaiting: [RequestID: PartyID] = [:]
        var candidates: [Candidate] = []
    }

    var items: [Item]

    var isComplete: Bool { items.allSatisfy { $0.awaiting.isEmpty } }

    /// The candidates per item.
    var candidates: [String: [Candidate]] {
        Dictionary(items.map { ($0.itemID, $0.candidates) }) { first, _ in first }
    }
}
