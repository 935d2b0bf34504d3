import Ledger

/// A seller's notice, with the order and element of this provider it concerns.
public struct SellerNotice: Sendable {
    public let order: OrderKey
    public let itemID: String
    public let seller: PartyID
    public let notice: OrderNotice

    public init(order: OrderKey, itemID: String, seller: PartyID, notice: OrderNotice) {
        self.order = order
        self.itemID = itemID
        self.seller = seller
        self.notice = notice
    }
}
