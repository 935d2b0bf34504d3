import Ledger
import SupplyChain

/// A quote its buyer cancelled or declined, as the S-BUS recorded it: what it refuses later orders against.
public struct WithdrawnQuote: Sendable, Hashable {
    public let buyer: PartyID
    /// The buyer's id of the inquiry the quote answers.
    public let requestID: RequestID
    /// The buyer's decision, with the time it was recorded.
    public let decision: QuoteDecision
}
