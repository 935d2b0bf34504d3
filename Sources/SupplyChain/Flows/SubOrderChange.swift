import CanonicalJSON
import Ledger

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
