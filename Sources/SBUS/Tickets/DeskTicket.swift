import Ledger
import SupplyChain

/// A buyer's trouble ticket at the ticket desk.
struct DeskTicket: Sendable {
    /// A buyer's ticket, by the buyer and its ticket id.
    struct Key: Hashable, Sendable {
        let buyer: PartyID
        let ticketID: String
    }

    /// A buyer's service.
    struct ServiceKey: Hashable, Sendable {
        let buyer: PartyID
        let serviceID: String
    }

    let serviceID: String
    let sellerTicketID: String
    var state: TicketState
    /// When it was last resolved: it closes on its own `ticketCloseAfter` later.
    var resolvedAt: Instant? = nil
}
