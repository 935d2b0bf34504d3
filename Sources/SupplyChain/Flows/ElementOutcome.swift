import Ledger
import Sonata

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
    /// Refused by business validation against the offering's specification (its place rules, MEF 79.1 R18–R21):
    /// the item is REJECTED with the findings, each naming the requirement and the field.
    case rejected(itemID: String, findings: [ValidationFinding])
}
