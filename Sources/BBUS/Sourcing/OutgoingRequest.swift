import Ledger
import SupplyChain

/// A request sent to a seller: the buyer request and item it serves.
struct OutgoingRequest: Sendable {
    let key: RequestKey
    let itemID: String
    let seller: PartyID
}
