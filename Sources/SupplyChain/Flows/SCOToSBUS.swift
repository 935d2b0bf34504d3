import Ledger

/// What the SCO hands the S-BUS for the buyer: the chained answer to a request, and the order events the buyer
/// hears of.
public enum SCOToSBUS: Sendable {
    /// Each element's outcome, in the request's item order: the S-BUS prices and answers (PDL-014..PDL-018).
    case qualified(key: RequestKey, outcomes: [ElementOutcome])
    /// An item cannot meet the time: the POQ ends UNABLE_TO_MEET_TIME (MEF79-R103).
    case unableToMeetTime(key: RequestKey, outcomes: [ElementOutcome])
    /// A change's cost to this provider and its outage: the S-BUS prices it for the buyer (PDL-117).
    case changeCost(OrderKey, reference: String, cost: Money, outage: TimeSpan)
    /// An event to record on the buyer's ledger and send it.
    case orderEvent(OrderKey, reference: String, OrderEvent, evidence: [ActivationEvidence]?)
    /// The order is over without a word to the buyer (the buyer cancelled it).
    case orderClosed(OrderKey)
}

/// What became of one element of a request.
public enum ElementOutcome: Sendable {
    /// Sourced: the best candidate (quoted) and the other deliverable ones (the fallbacks), best first.
    case sourced(itemID: String, best: Candidate, others: [Candidate])
    /// Nothing deliverable; the red answers' lower-bandwidth alternates are pooled.
    case unsourced(itemID: String, reason: String, alternates: [SourcedAlternate])
    /// Delivered by the SOF alone, while the request as a whole is abandoned.
    case internalOffer(itemID: String, ElementOffer)
    /// No seller can answer within the requested completion date.
    case unableToMeetTime(itemID: String)
    /// Abandoned because another item cannot meet the time.
    case abandoned(itemID: String)
}

/// A lower-bandwidth alternate and where it comes from.
public struct SourcedAlternate: Sendable, Hashable {
    public let source: Source
    public let offer: AlternateOffer

    public init(source: Source, offer: AlternateOffer) {
        self.source = source
        self.offer = offer
    }
}
