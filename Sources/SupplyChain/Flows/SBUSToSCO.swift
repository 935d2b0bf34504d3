import CanonicalJSON
import Ledger
import Sonata

/// What the S-BUS hands the SCO: admitted requests, orders that passed the order desk, changes, renewals, and the
/// buyer's word about an order in fulfilment.
public enum SBUSToSCO: Sendable {
    /// An admitted POQ or inquiry: decompose it and source every element (PDL-008..PDL-013).
    case qualify(QualificationRequest)
    /// An order that references a valid quote unchanged: reserve, order and activate it (PDL-026..PDL-030).
    case fulfil(OrderPlacement)
    /// A change to an active service (PDL-116).
    case change(ServiceChangeOrder)
    /// A new product term on an active service.
    case renew(RenewalOrder)
    /// The buyer disconnects an active service at a date.
    case disconnect(DisconnectionOrder)
    /// The buyer cancels, extends the activation window or refuses an extension (PDL-056..PDL-060).
    case buyerNotice(OrderKey, OrderEvent)
    /// A buyer's trouble ticket: find the fault and act on it (ETSI PDL §23–35).
    case ticketOpened(TicketOpening)
    /// The buyer ends a service (its buyer abandoned it, or it terminates with its sellers: PDL-067, PDL-072).
    case terminationRequested(buyer: PartyID, serviceID: String, reason: String)
    /// A buyer asks for a performance report on one of its services (PDL-088).
    case reportRequested(buyer: PartyID, ReportRequest)
    /// A buyer asks for reports on one of its services at every interval of its own schedule (PDL-086, PDL-088).
    case reportScheduled(buyer: PartyID, ReportSchedule)
    /// A buyer stops one of its schedules.
    case reportScheduleCancelled(buyer: PartyID, serviceID: String, jobID: String)
}
