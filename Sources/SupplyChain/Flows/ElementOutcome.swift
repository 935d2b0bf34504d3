import Ledger

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
