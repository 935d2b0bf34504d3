/// A Buyer's quote request (`Quote_Create`, Quote API v8): the items to price, the level and the deadline.
public struct QuoteCreate: Codable, Sendable, Hashable {
    /// Budgetary or firm.
    public let buyerRequestedQuoteLevel: BuyerQuoteLevel
    /// `true` asks for the quote in the response to this request rather than later.
    public let instantSyncQuote: Bool
    /// The items to price; at least one.
    public let quoteItem: [QuoteItemCreate]
    /// When the Buyer wants a complete answer.
    public let requestedQuoteCompletionDate: MEFDateTime?
    /// The Buyer's own reference for the quote.
    public let externalId: String?
    /// Groups quotes that belong to one Buyer project.
    public let projectId: String?
    /// A description of the quote.
    public let description: String?
    /// Contacts; with `instantSyncQuote == false` the Buyer must name `buyerContactInformation`.
    public let relatedContactInformation: [RelatedContactInformation]?
    /// Free-form notes, for processes with a human in the loop.
    public let note: [Note]?

    public init(
        buyerRequestedQuoteLevel: BuyerQuoteLevel,
        instantSyncQuote: Bool,
        quoteItem: [QuoteItemCreate],
        requestedQuoteCompletionDate: MEFDateTime? = nil,
        externalId: String? = nil,
        projectId: String? = nil,
        description: String? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil,
        note: [Note]? = nil
    ) {
        self.buyerRequestedQuoteLevel = buyerRequestedQuoteLevel
        self.instantSyncQuote = instantSyncQuote
        self.quoteItem = quoteItem
        self.requestedQuoteCompletionDate = requestedQuoteCompletionDate
        self.externalId = externalId
        self.projectId = projectId
        self.description = description
        self.relatedContactInformation = relatedContactInformation
        self.note = note
    }
}
