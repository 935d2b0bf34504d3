import Sonata

/// A buyer's word on a quote it asked for (Sonata Quote v8 `cancelQuote` / `rejectQuote`, MEF 80): it withdraws a
/// quote still being worked on, or declines one it was given. No order can be placed against it afterwards
/// (PDL-023).
///
/// The buyer sends it with `decidedAt` unset; the seller's S-BUS sends it back with the time it recorded it on the
/// upstream ledger.
public struct QuoteDecision: Codable, Sendable, Hashable {
    /// What the buyer decides.
    public enum Action: String, Codable, Sendable, Hashable {
        /// Withdraw a quote the seller has not answered yet (`cancelQuote`): the quote is CANCELLED.
        case cancel
        /// Turn down a quote the seller answered (`rejectQuote`): the quote is DECLINED.
        case decline
    }

    /// The seller's reference of the quote (the Sonata quote id).
    public let quoteReference: String
    public let action: Action
    /// Why, in the buyer's words.
    public let reason: String?
    /// When the seller recorded it; `nil` in the buyer's request.
    public let decidedAt: Instant?

    public init(quoteReference: String, action: Action, reason: String? = nil, decidedAt: Instant? = nil) {
        self.quoteReference = quoteReference
        self.action = action
        self.reason = reason
        self.decidedAt = decidedAt
    }

    /// The state the quote is in once this is recorded: CANCELLED or DECLINED.
    public var state: QuoteState { action == .cancel ? .cancelled : .declined }

    /// The same decision as the seller recorded it at `at`.
    public func recorded(at: Instant) -> QuoteDecision {
        QuoteDecision(quoteReference: quoteReference, action: action, reason: reason, decidedAt: at)
    }
}
