import CanonicalJSON
import Ledger

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
