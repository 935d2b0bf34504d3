/// One quote in the answer to `listQuote` (`Quote_Find`): its id, state, level, references and dates.
public struct QuoteFind: Codable, Sendable, Hashable {
    public let id: QuoteID
    public let state: QuoteState?
    public let quoteLevel: SellerQuoteLevel?
    public let quoteDate: MEFDateTime
    public let requestedQuoteCompletionDate: MEFDateTime?
    public let expectedQuoteCompletionDate: MEFDateTime?
    public let effectiveQuoteCompletionDate: MEFDateTime?
    public let externalId: String?
    public let projectId: String?

    /// The overview of `quote`.
    public init(_ quote: Quote) {
        id = quote.id
        state = quote.state
        quoteLevel = quote.quoteLevel
        quoteDate = quote.quoteDate
        requestedQuoteCompletionDate = quote.requestedQuoteCompletionDate
        expectedQuoteCompletionDate = quote.expectedQuoteCompletionDate
        effectiveQuoteCompletionDate = quote.effectiveQuoteCompletionDate
        externalId = quote.externalId
        projectId = quote.projectId
    }
}
