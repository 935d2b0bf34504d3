import Ledger
import SCO
import Sonata
import SupplyChain

/// A buyer's request this provider is working on.
struct OpenRequest {
    struct Key: Hashable {
        let buyer: PartyID
        let requestID: RequestID
    }

    /// One element's progress: the SOF's answer, the sellers asked and what they said.
    struct Element {
        let item: ProductOfferingQualificationItemCreate
        let element: ServiceElement
        let sofAnswer: SOFAnswer
        /// Seller requests still awaiting an answer: sub-request id → seller.
        var awaiting: [RequestID: PartyID] = [:]
        var candidates: [Candidate] = []
        /// Set when the element's outcome is known without sellers (internal, or no way to source it in time).
        var settled: ItemAnswer?
    }

    let key: Key
    let request: SupplyRequest
    let poq: ProductOfferingQualificationCreate
    let sellerReference: String
    let deferred: Bool
    /// When the sellers' answers are due: the buyer's window minus this provider's processing time.
    let deadline: Instant
    var elements: [Element]

    var isComplete: Bool { elements.allSatisfy { $0.awaiting.isEmpty } }
}
