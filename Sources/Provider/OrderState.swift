import CanonicalJSON
import Ledger
import SCO
import Sonata
import SupplyChain

/// A quote this provider gave: what each item was, its answer, and every deliverable source ranked best first
/// (the first is what was quoted; the others are the alternatives the SCO falls back on after a failure).
struct QuoteRecord {
    let buyer: PartyID
    let reference: String
    let kind: RequestKind
    let items: [String: JSONValue]
    let answers: [ItemAnswer]
    let sources: [String: [Candidate]]
    let validUntil: Instant?
}

struct OrderKey: Hashable {
    let buyer: PartyID
    let orderID: RequestID
}

/// An order element bought from a seller.
struct SubOrder {
    let order: OrderKey
    let itemID: String
    let seller: PartyID
}

/// One element of an order: where it comes from now, what is left to fall back on, and how far it got.
struct OrderElement {
    enum Status: Equatable {
        case awaitingAcceptance, accepted, activating, active, failed
    }

    let itemID: String
    let item: JSONValue
    let element: ServiceElement
    var source: Candidate
    var alternatives: [Candidate]
    var status: Status
    /// The sub-order when the element is bought; the seller's service id once it is active.
    var subOrderID: RequestID?
    var sellerOrderReference: String?
    var sellerServiceID: String?
}

/// An order this provider is fulfilling for a buyer.
struct OrderState {
    enum Phase: Equatable {
        case accepting, activating, activated, closed
    }

    let key: OrderKey
    let request: OrderRequest
    let reference: String
    var phase: Phase
    var elements: [OrderElement]
    /// The Order Activation Window, possibly extended.
    var activateBy: Instant
    var extensionAsked = false
    /// An extension was asked of the buyer and no answer came yet.
    var extensionPending = false

    var allAccepted: Bool { elements.allSatisfy { $0.status != .awaitingAcceptance } }
    var allActive: Bool { elements.allSatisfy { $0.status == .active } }
}

/// A service in operation (MEF inventory): the elements behind it and its terms, newest last.
public struct ServiceRecord: Sendable, Hashable {
    /// MEF product inventory states.
    public enum State: String, Sendable, Hashable {
        case active, pendingTerminate, terminated
    }

    public struct Element: Sendable, Hashable {
        public let itemID: String
        /// `nil` when the provider delivers it itself.
        public let seller: PartyID?
        public let sellerServiceID: String?
        public var element: ServiceElement
    }

    public let serviceID: String
    public let buyer: PartyID
    public let orderID: RequestID
    public internal(set) var state: State
    public internal(set) var elements: [Element]
    public internal(set) var terms: [ProductTerm]
    public internal(set) var changes: [ServiceChange]
}
