import CanonicalJSON
import Ledger

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
    public let reporting: ReportingTerms?

    public init(
        order: OrderKey, itemID: String, item: JSONValue, seller: PartyID, quoteReference: String, acceptBy: Instant,
        activateBy: Instant, term: ProductTerm?, reporting: ReportingTerms? = nil
    ) {
        self.reporting = reporting
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
