/// A relationship from one order item to another item of the same order (`OrderItemRelationship`).
public struct OrderItemRelationship: Codable, Sendable, Hashable {
    /// The nature of the relationship as the product spec names it, e.g. `CONNECTS_TO_UNI`.
    public let relationshipType: String
    /// The related item, in the same order.
    public let id: ProductOrderItemID

    public init(relationshipType: String, id: ProductOrderItemID) {
        self.relationshipType = relationshipType
        self.id = id
    }
}

/// The quote item an order item was priced by (`MEFQuoteItemRef`); the Seller may require it.
public struct QuoteItemRef: Codable, Sendable, Hashable {
    /// The quote.
    public let quoteId: QuoteID
    /// The item within that quote.
    public let id: QuoteItemID
    /// A link to the quote.
    public let quoteHref: String?

    public init(quoteId: QuoteID, id: QuoteItemID, quoteHref: String? = nil) {
        self.quoteId = quoteId
        self.id = id
        self.quoteHref = quoteHref
    }
}

/// The POQ item an order item was qualified by (order v10 `ProductOfferingQualificationItemRef`).
///
/// Quote v8 spells the alternate-proposal field differently, hence a separate `QuotePOQItemRef`.
public struct OrderPOQItemRef: Codable, Sendable, Hashable {
    /// The POQ item.
    public let id: String
    /// The POQ.
    public let productOfferingQualificationId: String
    /// A link to the POQ.
    public let productOfferingQualificationHref: String?
    /// The alternate product offering proposal the qualification came from, if any.
    public let alternateProductOfferingProposalId: String?

    public init(
        id: String,
        productOfferingQualificationId: String,
        productOfferingQualificationHref: String? = nil,
        alternateProductOfferingProposalId: String? = nil
    ) {
        self.id = id
        self.productOfferingQualificationId = productOfferingQualificationId
        self.productOfferingQualificationHref = productOfferingQualificationHref
        self.alternateProductOfferingProposalId = alternateProductOfferingProposalId
    }
}

/// The Buyer's billing account an order item is billed to (`MEFBillingAccountRef`).
public struct BillingAccountRef: Codable, Sendable, Hashable {
    /// The account; required when the Buyer has more than one, and for all new orders.
    public let id: String
    /// Not in the v10 schema: a billing contact, as MEF's own v10 example payloads still send it.
    public let billingContact: RelatedContactInformation?

    public init(id: String, billingContact: RelatedContactInformation? = nil) {
        self.id = id
        self.billingContact = billingContact
    }
}

/// When an order item may start or finish relative to another item (`MEFOrderItemCoordinatedAction`).
public struct OrderItemCoordinatedAction: Codable, Sendable, Hashable {
    /// The item this one is coordinated with.
    public let itemId: ProductOrderItemID
    /// How the two items depend on each other.
    public let coordinationDependency: OrderItemCoordinationDependency
    /// How long after the dependency is met this item's action happens.
    public let coordinatedActionDelay: Duration

    public init(
        itemId: ProductOrderItemID,
        coordinationDependency: OrderItemCoordinationDependency,
        coordinatedActionDelay: Duration
    ) {
        self.itemId = itemId
        self.coordinationDependency = coordinationDependency
        self.coordinatedActionDelay = coordinatedActionDelay
    }
}

/// How two order items' work depends on each other (`MEFOrderItemCoordinationDependencyType`, MEF 57.2).
public enum OrderItemCoordinationDependency: String, SonataEnum {
    case startToStart, startToFinish, finishToStart, finishToFinish
}

/// A milestone an order item reached (`MEFMilestone`), set by the Seller.
public struct Milestone: Codable, Sendable, Hashable {
    /// The milestone's name, as the product spec defines it.
    public let name: String
    /// When it was reached.
    public let date: MEFDateTime
    /// A comment.
    public let note: String?

    public init(name: String, date: MEFDateTime, note: String? = nil) {
        self.name = name
        self.date = date
        self.note = note
    }
}

/// A reference to a Seller-initiated charge on an order or item (`MEFProductOrderChargeRef`).
public struct ProductOrderChargeRef: Codable, Sendable, Hashable {
    /// The charge.
    public let id: String
    /// A link to the charge.
    public let href: String?

    public init(id: String, href: String? = nil) {
        self.id = id
        self.href = href
    }
}
