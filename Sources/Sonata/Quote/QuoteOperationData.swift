/// A Buyer's request to cancel or decline a quote (`QuoteOperationData`).
public struct QuoteOperationData: Codable, Sendable, Hashable {
    /// The quote to cancel or decline.
    public let quoteId: QuoteID
    /// Why.
    public let reason: String?

    public init(quoteId: QuoteID, reason: String? = nil) {
        self.quoteId = quoteId
        self.reason = reason
    }
}
