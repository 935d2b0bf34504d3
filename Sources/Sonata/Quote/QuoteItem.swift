/// One item of a quote as the Seller returns it (`QuoteItem`): the request's fields plus state, price and term.
public struct QuoteItem: Codable, Sendable, Hashable {
    /// The Buyer's identifier of the item, unique within the quote.
    public let id: QuoteItemID
    /// Install, change or disconnect.
    public let action: ProductActionType
    /// The item's state.
    public let state: QuoteItemState
    /// The product: existing (`modify`, `delete`) and/or desired (`add`, `modify`).
    public let product: QuoteProductRefOrValue?
    /// The longest term the Buyer would accept.
    public let requestedQuoteItemTerm: MEFItemTerm?
    /// The installation interval the Buyer asked for.
    public let requestedQuoteItemInstallationInterval: Duration?
    /// An earlier POQ item this item builds on.
    public let productOfferingQualificationItem: QuotePOQItemRef?
    /// Relationships to other items of the same quote.
    public let quoteItemRelationship: [QuoteItemRelationship]?
    /// Contacts for this item.
    public let relatedContactInformation: [RelatedContactInformation]?
    /// The name of the agreement, unique between Buyer and Seller.
    public let agreementName: String?
    /// A pre-agreed pricing modifier the Seller offered.
    public let dealReference: String?
    /// Free-form notes, for processes with a human in the loop.
    public let note: [Note]?
    /// The prices the Seller quotes for this item.
    public let quoteItemPrice: [QuotePrice]?
    /// The term the Seller quotes (at most one).
    public let quoteItemTerm: [MEFItemTerm]?
    /// The installation interval the Seller proposes.
    public let quoteItemInstallationInterval: Duration?
    /// For a firm quote: whether the price still needs a feasibility check.
    public let subjectToFeasibilityCheck: Bool?
    /// Why the Seller could not process the item.
    public let terminationError: [TerminationError]?

    public init(
        id: QuoteItemID,
        action: ProductActionType,
        state: QuoteItemState,
        product: QuoteProductRefOrValue? = nil,
        requestedQuoteItemTerm: MEFItemTerm? = nil,
        requestedQuoteItemInstallationInterval: Duration? = nil,
        productOfferingQualificationItem: QuotePOQItemRef? = nil,
        quoteItemRelationship: [QuoteItemRelationship]? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil,
        agreementName: String? = nil,
        dealReference: String? = nil,
        note: [Note]? = nil,
        quoteItemPrice: [QuotePrice]? = nil,
        quoteItemTerm: [MEFItemTerm]? = nil,
        quoteItemInstallationInterval: Duration? = nil,
        subjectToFeasibilityCheck: Bool? = nil,
        terminationError: [TerminationError]? = nil
    ) {
        self.id = id
        self.action = action
        self.state = state
        self.product = product
        self.requestedQuoteItemTerm = requestedQuoteItemTerm
        self.requestedQuoteItemInstallationInterval = requestedQuoteItemInstallationInterval
        self.productOfferingQualificationItem = productOfferingQualificationItem
        self.quoteItemRelationship = quoteItemRelationship
        self.relatedContactInformation = relatedContactInformation
        self.agreementName = agreementName
        self.dealReference = dealReference
        self.note = note
        self.quoteItemPrice = quoteItemPrice
        self.quoteItemTerm = quoteItemTerm
        self.quoteItemInstallationInterval = quoteItemInstallationInterval
        self.subjectToFeasibilityCheck = subjectToFeasibilityCheck
        self.terminationError = terminationError
    }

    /// The response item echoing a requested item, in `state`, before the Seller adds prices or terms.
    public init(_ request: QuoteItemCreate, state: QuoteItemState) {
        self.init(
            id: request.id, action: request.action, state: state, product: request.product,
            requestedQuoteItemTerm: request.requestedQuoteItemTerm,
            requestedQuoteItemInstallationInterval: request.requestedQuoteItemInstallationInterval,
            productOfferingQualificationItem: request.productOfferingQualificationItem,
            quoteItemRelationship: request.quoteItemRelationship,
            relatedContactInformation: request.relatedContactInformation, agreementName: request.agreementName,
            dealReference: request.dealReference, note: request.note)
    }
}
