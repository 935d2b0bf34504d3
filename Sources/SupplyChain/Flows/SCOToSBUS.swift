import Ledger

/// What the SCO hands the S-BUS for the buyer: the chained answer to a request, and the order events the buyer
/// hears of.
public enum SCOToSBUS: Sendable {
    /// Each element's outcome, in the request's item order: the S-BUS prices and answers (PDL-014..PDL-018).
    case qualified(key: RequestKey, outcomes: [ElementOutcome])
    /// An item cannot meet the time: the POQ ends UNABLE_TO_MEET_TIME (MEF79-R103).
    case unableToMeetTime(key: RequestKey, outcomes: [ElementOutcome])
    /// The request passed the SCO's business validation for these items, which are now being worked on (MEF 79.1
    /// Table 28: IN_PROGRESS once business validation passes); `complete` when every item passed.
    case inProgress(key: RequestKey, itemIDs: [String], complete: Bool)
    /// A change's cost to this provider and its outage: the S-BUS prices it for the buyer (PDL-117).
    case changeCost(OrderKey, reference: String, cost: Money, outage: TimeSpan)
    /// An event to record on the buyer's ledger and send it.
    case orderEvent(OrderKey, reference: String, OrderEvent, evidence: [ActivationEvidence]?)
    /// The order is over without a word to the buyer (the buyer cancelled it).
    case orderClosed(OrderKey)
    /// The diagnosis of a buyer's ticket begins: the S-BUS acknowledges it.
    case ticketAccepted(TicketOpening)
    /// The ticket is about no service of this buyer: nothing is recorded.
    case ticketRefused(TicketOpening, Rejection)
    /// Something the buyer must hear about one of its services: a fault (with this provider's incident id), a
    /// repair outage, the resolution (every open ticket of the buyer's on the service is resolved), a termination.
    case serviceEvent(buyer: PartyID, serviceID: String, incidentID: String, TicketEvent)
    /// The SP-End performance report for the buyer (PDL-095).
    case report(buyer: PartyID, PerformanceReport)
    /// The SCO runs a buyer's own schedule: the S-BUS records it (a schedule it cannot run is recorded nowhere).
    case scheduleTaken(buyer: PartyID, ReportSchedule)
    /// The SCO stopped a buyer's schedule at its word: the S-BUS records the cancellation.
    case scheduleCancelled(buyer: PartyID, serviceID: String, jobID: String)
}
