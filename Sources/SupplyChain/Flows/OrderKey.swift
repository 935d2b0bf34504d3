import Ledger

/// A buyer's request or order as this provider knows it: the buyer and the buyer's id for it.
public struct OrderKey: Hashable, Sendable {
    public let buyer: PartyID
    public let orderID: RequestID

    public init(buyer: PartyID, orderID: RequestID) {
        self.buyer = buyer
        self.orderID = orderID
    }
}
