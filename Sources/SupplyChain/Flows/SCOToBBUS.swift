import CanonicalJSON
import Ledger

/// What the SCO asks of the B-BUS: sellers for the elements it cannot source alone, and orders, changes, renewals
/// and notices to the sellers it buys from.
public enum SCOToBBUS: Sendable {
    /// Ask sellers about these elements (PDL-011).
    case source(SourcingRequest)
    /// Order one element from the seller that quoted it (PDL-030).
    case placeSubOrder(SubOrderPlacement)
    /// Ask a seller to change its part of a service (PDL-116).
    case placeChange(SubOrderChange)
    /// Renew a seller's part of a service for a new term.
    case placeRenewal(SubOrderRenewal)
    /// Tell the seller of each listed element of an order what happened (cancellation, window change); with
    /// `closing`, those sub-orders are over (PDL-058).
    case tellSellers(order: OrderKey, itemIDs: [String], OrderEvent, closing: Bool)
    /// The order is active: the sub-orders of these elements need no more attention.
    case forgetSubOrders(order: OrderKey, itemIDs: [String])
}

/// The elements of one request the SCO wants sellers to quote.
public struct SourcingRequest: Sendable {
    public let request: QualificationRequest
    public let needs: [SourcingNeed]

    public init(request: QualificationRequest, needs: [SourcingNeed]) {
        self.request = request
        self.needs = needs
    }
}

/// One element to source, and whether the SOF can deliver it itself (then a seller that is too slow to ask does
/// not make the item unable to meet the time).
public struct SourcingNeed: Sendable {
    public let element: ServiceElement
    public let deliverableInternally: Bool

    public init(element: ServiceElement, deliverableInternally: Bool) {
        self.element = element
        self.deliverableInternally = deliverableInternally
    }
}

/// One element of an order bought from a seller.
public struct SubOrderPlacement: Sendable {
    public let order: OrderKey
    public let itemID: String
    public let item: JSONValue
    public let seller: PartyID
    public let quoteReference: String
    public let acceptBy: Instant
    public let activateBy: Instant
    public let term: ProductTerm?

    public init(
        order: OrderKey, itemID: String, item: JSONValue, seller: PartyID, quoteReference: String, acceptBy: Instant,
        activateBy: Instant, term: ProductTerm?
    ) {
        self.order = order
        self.itemID = itemID
        self.item = item
        self.seller = seller
        self.quoteReference = quoteReference
        self.acceptBy = acceptBy
        self.activateBy = activateBy
        self.term = term
    }
}

/// A seller's part of a change.
public struct SubOrderChange: Sendable {
    public let order: OrderKey
    public let itemID: String
    public let seller: PartyID
    public let sellerServiceID: String
    public let change: ServiceChange
    public let acceptBy: Instant
    public let activateBy: Instant

    public init(
        order: OrderKey, itemID: String, seller: PartyID, sellerServiceID: String, change: ServiceChange,
        acceptBy: Instant, activateBy: Instant
    ) {
        self.order = order
        self.itemID = itemID
        self.seller = seller
        self.sellerServiceID = sellerServiceID
        self.change = change
        self.acceptBy = acceptBy
        self.activateBy = activateBy
    }
}

/// A seller's part of a renewal.
public struct SubOrderRenewal: Sendable {
    public let seller: PartyID
    public let sellerServiceID: String
    public let term: ProductTerm
    public let acceptBy: Instant
    public let activateBy: Instant

    public init(seller: PartyID, sellerServiceID: String, term: ProductTerm, acceptBy: Instant, activateBy: Instant) {
        self.seller = seller
        self.sellerServiceID = sellerServiceID
        self.term = term
        self.acceptBy = acceptBy
        self.activateBy = activateBy
    }
}
