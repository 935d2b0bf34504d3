/// A quote as the Seller returns it (`Quote`, Quote API v8): the request plus id, state, level, dates and items.
public struct Quote: Codable, Sendable, Hashable {
    /// The Seller's identifier of the quote.
    public let id: QuoteID
    /// A link to the quote.
    public let href: String?
    /// When the quote was created.
    public let quoteDate: MEFDateTime
    /// The quote's state (optional in the v8 schema).
    public let state: QuoteState?
    /// Budgetary or firm, as the Buyer asked.
    public let buyerRequestedQuoteLevel: BuyerQuoteLevel
    /// The level the Seller answers with, the lowest of its items.
    public let quoteLevel: SellerQuoteLevel?
    /// Whether the Buyer asked for an immediate answer.
    public let instantSyncQuote: Bool
    /// The items; at least one.
    public let quoteItem: [QuoteItem]
    /// When the Buyer wanted a complete answer.
    public let requestedQuoteCompletionDate: MEFDateTime?
    /// When the Seller expects the quote to reach a completion state.
    public let expectedQuoteCompletionDate: MEFDateTime?
    /// When the quote reached a completion state.
    public let effectiveQuoteCompletionDate: MEFDateTime?
    /// How long the quote is valid; only `endDateTime` is used.
    public let validFor: TimePeriod?
    /// The states the quote went through.
    public let stateChange: [QuoteStateChange]?
    /// The Buyer's own reference for the quote.
    public let externalId: String?
    /// Groups quotes that belong to one Buyer project.
    public let projectId: String?
    /// A description of the quote.
    public let description: String?
    /// Contacts, including the Seller's `sellerContactInformation`.
    public let relatedContactInformation: [RelatedContactInformation]?
    /// Free-form notes, for processes with a human in the loop.
    public let note: [Note]?

    public init(
        id: QuoteID,
        href: String? = nil,
        quoteDate: MEFDateTime,
        state: QuoteState? = nil,
        buyerRequestedQuoteLevel: BuyerQuoteLevel,
        quoteLevel: SellerQuoteLevel? = nil,
        instantSyncQuote: Bool,
        quoteItem: [QuoteItem],
        requestedQuoteCompletionDate: MEFDateTime? = nil,
        expectedQuoteCompletionDate: MEFDateTime? = nil,
        effectiveQuoteCompletionDate: MEFDateTime? = nil,
        validFor: TimePeriod? = nil,
        stateChange: [QuoteStateChange]? = nil,
        externalId: String? = nil,
        projectId: String? = nil,
        description: String? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil,
        note: [Note]? = nil
    ) {
        self.id = id
        self.href = href
        self.quoteDate = quoteDate
        self.state = state
        self.buyerRequestedQuoteLevel = buyerRequestedQuoteLevel
        self.quoteLevel = quoteLevel
        self.instantSyncQuote = instantSyncQuote
        self.quoteItem = quoteItem
        self.requestedQuoteCompletionDate = requestedQuoteCompletionDate
        self.expectedQuoteCompletionDate = expectedQuoteCompletionDate
        self.effectiveQuoteCompletionDate = effectiveQuoteCompletionDate
        self.validFor = validFor
        self.stateChange = stateChange
        self.externalId = externalId
        self.projectId = projectId
        self.description = description
        self.relatedContactInformation = relatedContactInformation
        self.note = note
    }
}
