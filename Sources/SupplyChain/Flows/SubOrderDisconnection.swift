import CanonicalJSON
import Ledger

/// A seller's part of a disconnection: its service ends at the buyer's date.
public struct SubOrderDisconnection: Sendable {
    public let seller: PartyID
    public let sellerServiceID: String
    public let at: Instant
    public let acceptBy: Instant

    public init(seller: PartyID, sellerServiceID: String, at: Instant, acceptBy: Instant) {
        self.seller = seller
        self.sellerServiceID = sellerServiceID
        self.at = at
        self.acceptBy = acceptBy
    }
}
