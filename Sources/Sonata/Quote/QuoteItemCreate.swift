/// One item of a quote request (`MEFQuoteItem_Create`): an action on a product to be priced.
public struct QuoteItemCreate: Codable, Sendable, Hashable {
    /// The Buyer's identifier of the item, unique within the quote.
    public let id: QuoteItemID
    /// Install, change or disconnect.
    public let action: ProductActionType
    /// The product: existing (`modify`, `delete`) and/or desired (`add`, `modify`).
    public let product: QuoteProductRefOrValue?
    /// The longest term the Buyer would accept.
    public let requestedQuoteItemTerm: MEFItemTerm?
    /// The installation interval the Buyer asks for.
    public let requestedQuoteItemInstallationInterval: Duration?
    /// An earlier POQ item this item builds on.
    public let productOfferingQualificationItem: QuotePOQItemRef?
    /// Relationships to other items of the same quote.
    public let quoteItemRelationship: [QuoteItemRelationship]?
    /// Contacts for this item, e.g. `quoteItemTechnicalContact`, `quoteItemLocationContact`.
    public let relatedContactInformation: [RelatedContactInformation]?
    /// The name of the agreement, unique between Buyer and Seller.
    public let agreementName: String?
    /// A pre-agreed pricing modifier the Seller offered.
    public let dealReference: String?
    /// Free-form notes, for processes with a human in the loop.
    public let note: [Note]?

    public init(
        id: QuoteItemID,
        action: ProductActionType,
        product: QuoteProductRefOrValue? = nil,
        requestedQuoteItemTerm: MEFItemTerm? = nil,
        requestedQuoteItemInstallationInterval: Duration? = nil,
        productOfferingQualificationItem: QuotePOQItemRef? = nil,
        quoteItemRelationship: [QuoteItemRelationship]? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil,
        agreementName: String? = nil,
        dealReference: String? = nil,
        note: [Note]? = nil
    ) {
        self.id = id
        self.action = action
        self.product = product
        self.requestedQuoteItemTerm = requestedQuoteItemTerm
        self.requestedQuoteItemInstallationInterval = requestedQuoteItemInstallationInterval
        self.productOfferingQualificationItem = productOfferingQualificationItem
        self.quoteItemRelationship = quoteItemRelationship
        self.relatedContactInformation = relatedContactInformation
        self.agreementName = agreementName
        self.dealReference = dealReference
        self.note = note
    }
}
