/// The SCO's timers, one per fulfilment, change and term process.
public enum SCOTimer: Hashable, Codable, Sendable {
    /// The Order Acceptance Window ends (PDL-034).
    case acceptanceWindow
    /// The Order Activation Window ends (PDL-037).
    case activationWindow
    /// The SOF finishes activating one element (PDL-050).
    case elementActivation(itemID: String)
    /// This provider's part of a change (and its outage) is over (PDL-118).
    case changeDone
    /// A product term ends: roll, renew or disconnect.
    case endOfTerm(serviceID: String)
    /// The date a buyer asked a service to be disconnected at.
    case disconnection(serviceID: String)
    /// The SOF's repair of a fault (and its outage, if any) is over (scenarios F, G).
    case repairDone(serviceID: String)
    /// A reporting interval of a service ended: its scheduled report is due (PDL-086).
    case reportInterval(serviceID: String)
    /// A report's deadline: what has not come in by now is missing.
    case reportDeadline(serviceID: String, reportID: String)
    /// Time to publish the SLA reputation again, if records came in since the last publication (PDL-115).
    case publishReputation
    /// An interval of a buyer's own schedule (performance job) ended: its report is due.
    case jobInterval(serviceID: String, jobID: String)
}
