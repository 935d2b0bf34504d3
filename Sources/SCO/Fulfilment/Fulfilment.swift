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

/// One element of an order: where it comes from now, what is left to fall back on, and how far it got.
struct FulfilmentElement: Sendable {
    enum Status: Equatable, Sendable {
        case awaitingAcceptance, accepted, activating
        /// Active, with what the SOF or the seller reported of it.
        case active(ActivationReport)
        case failed
    }

    let itemID: String
    let item: JSONValue
    let element: ServiceElement
    var source: Candidate
    var alternatives: [Candidate]
    var status: Status

    var isActive: Bool {
        if case .active = status { return true }
        return false
    }

    /// The seller delivering the element, `nil` when the SOF does.
    var seller: PartyID? {
        if case .seller(let party, _, _) = source.source { return party }
        return nil
    }

    /// The items of the same order this element hands off to (its `qualificationItemRelationship`s).
    var handsOffTo: [String] {
        item["qualificationItemRelationship"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }
}

/// What the party that activated an element reported: its service id, and its evidence when it gave one.
struct ActivationReport: Equatable, Sendable {
    let serviceID: String
    let evidence: ActivationEvidence?
}
