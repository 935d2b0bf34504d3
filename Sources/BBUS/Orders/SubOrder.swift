import Ledger
import SupplyChain

/// An order this provider placed with a seller: for one element of an order, or for a seller's part of a change.
struct SubOrder: Sendable {
    /// An element of an order, which has at most one current sub-order.
    struct Slot: Hashable, Sendable {
        let order: OrderKey
        let itemID: String
    }

    let order: OrderKey
    let itemID: String
    let seller: PartyID
    /// A change's sub-order rather than an element's.
    let isChange: Bool

    var slot: Slot { Slot(order: order, itemID: itemID) }
}
