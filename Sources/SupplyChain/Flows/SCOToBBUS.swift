import CanonicalJSON
import Ledger

/// What the SCO asks of the B-BUS: sellers for the elements it cannot source alone, and orders, changes, renewals
/// and notices to the sellers it buys from.
public enum SCOToBBUS: Sendable {
    /// Ask sellers about these elements (PDL-011).
    case source(SourcingRequest)
    /// Order one element from the seller that quoted it (PDL-030).
    case placeSubOrder(SubOrderPlacement)
    /// Ask a seller to change its part of a service (PDL-116).
    case placeChange(SubOrderChange)
    /// Renew a seller's part of a service for a new term.
    case placeRenewal(SubOrderRenewal)
    /// Disconnect a seller's part of a service at the buyer's date.
    case placeDisconnection(SubOrderDisconnection)
    /// The buyer cancelled its disconnection: cancel the disconnection asked of the seller of this part.
    case withdrawDisconnection(SellerService, reason: String)
    /// Tell the seller of each listed element of an order what happened (cancellation, window change); with
    /// `closing`, those sub-orders are over (PDL-058).
    case tellSellers(order: OrderKey, itemIDs: [String], OrderEvent, closing: Bool)
    /// The order is active: the sub-orders of these elements need no more attention.
    case forgetSubOrders(order: OrderKey, itemIDs: [String])
    /// Open a ticket with the seller of a faulty element (PDL-081; SHOULD in scenarios C–E).
    case ticketSeller(SellerService, TicketReport)
    /// Agree to the seller's repair outage (PDL-074).
    case agreeOutage(SellerService, from: Instant, duration: TimeSpan)
    /// The seller resolved the ticket: close it (after-delivery.md decision 5).
    case closeSellerTicket(SellerService)
    /// End the seller's part of a service (PDL-067, PDL-068, PDL-072).
    case requestTermination(SellerService, reason: String)
    /// Ask the seller of an element for a report (PDL-090, PDL-091).
    case requestReport(SellerService, ReportRequest)
}
