/// A relationship from one quote item to another item of the same quote (`QuoteItemRelationship`).
public struct QuoteItemRelationship: Codable, Sendable, Hashable {
    /// The nature of the relationship as the product spec names it, e.g. `CONNECTS_TO_UNI`.
    public let relationshipType: String
    /// The related item, in the same quote.
    public let id: QuoteItemID

    public init(relationshipType: String, id: QuoteItemID) {
        self.relationshipType = relationshipType
        self.id = id
    }
}

/// A reference from a quote item to an item of an earlier POQ (quote v8 `ProductOfferingQualificationItemRef`).
///
/// Product Order v10 spells the alternate-proposal field differently, hence a separate `OrderPOQItemRef`.
public struct QuotePOQItemRef: Codable, Sendable, Hashable {
    /// The POQ item.
    public let id: String
    /// The POQ.
    public let productOfferingQualificationId: String
    /// A link to the POQ.
    public let productOfferingQualificationHref: String?
    /// The alternate product proposal the qualification came from, if any.
    public let alternateProductProposalId: String?

    public init(
        id: String,
        productOfferingQualificationId: String,
        productOfferingQualificationHref: String? = nil,
        alternateProductProposalId: String? = nil
    ) {
        self.id = id
        self.productOfferingQualificationId = productOfferingQualificationId
        self.productOfferingQualificationHref = productOfferingQualificationHref
        self.alternateProductProposalId = alternateProductProposalId
    }
}
