import Ledger
import SupplyChain

/// A fault on one of this provider's services being dealt with (ETSI PDL §25–35): its internal ticket on the
/// internal ledger, where the fault is, and the seller ticketed when it is external.
struct FaultProcess: Sendable {
    /// Where the faulty element comes from.
    enum Origin: Sendable, Hashable {
        /// The provider's own SOF delivers it.
        case `internal`
        /// Bought from a seller.
        case external(SellerService)
    }

    let serviceID: String
    let itemID: String
    /// The internal ticket's id (on the internal ledger).
    let ticketID: String
    let origin: Origin
    let report: FaultReport
}

/// Where an element bought from a seller is used: the service and element of this provider.
struct ElementOfService: Sendable, Hashable {
    let serviceID: String
    let itemID: String
}
