import Ledger

/// What the B-BUS tells the SCO: the sellers' answers for a request, that an item cannot be sourced in time, and
/// what sellers say about the orders placed with them.
public enum BBUSToSCO: Sendable {
    /// Every seller answered, or the window closed (silence counted as "unable"): the candidates per item.
    case answered(key: RequestKey, candidates: [String: [Candidate]])
    /// No seller can answer these items within the window (MEF79-R103).
    case unableToMeetTime(key: RequestKey, itemIDs: Set<String>)
    /// A seller's notice about the sub-order for one element of an order or change.
    case sellerNotice(SellerNotice)
    /// A seller's word about a service it delivers to this provider: a ticket's progress, a fault, an outage, a
    /// termination.
    case sellerTicketNotice(seller: PartyID, TicketNotice)
    /// A seller's performance report on a service it delivers to this provider (PDL-092).
    case sellerReport(seller: PartyID, PerformanceReport)
}
