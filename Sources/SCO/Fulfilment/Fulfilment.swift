import CanonicalJSON
import Ledger
import SupplyChain

/// An order the SCO is fulfilling for a buyer: accepted element by element, then activated element by element.
struct Fulfilment: Sendable {
    /// Where the order stands.
    enum Phase: Equatable, Sendable {
        /// Waiting for every element to be reserved or accepted by its seller (PDL-032).
        case accepting
        /// Accepted; elements being activated, with what became of a request for more time.
        case activating(Extension)
    }

    /// An extension of the Order Activation Window asked of the buyer (ETSI Service Delivery step 9): once at most.
    enum Extension: Equatable, Sendable {
        case notAsked
        /// Asked; no answer yet.
        case pending
        /// Asked and answered with a new window.
        case granted
    }

    let key: OrderKey
    let order: OrderRequest
    let reference: String
    var phase: Phase
    var elements: [FulfilmentElement]
    /// The Order Activation Window, possibly extended.
    var activateBy: Instant

    var allAccepted: Bool { elements.allSatisfy { $0.status != .awaitingAcceptance } }
    var allActive: Bool { elements.allSatisfy(\.isActive) }

    var extensionAsked: Bool {
        if case .activating(let asked) = phase { return asked != .notAsked }
        return false
    }
}
