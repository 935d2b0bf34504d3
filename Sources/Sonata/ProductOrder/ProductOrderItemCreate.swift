/// One item of a product order request (`MEFProductOrderItem_Create`): an action on a product, when and on what terms.
public struct ProductOrderItemCreate: Codable, Sendable, Hashable {
    /// The Buyer's identifier of the item, unique within the order.
    public let id: ProductOrderItemID
    /// Install, change or disconnect.
    public let action: ProductActionType
    /// The product: described for `add`, pointed at (and described) for `modify`, pointed at for `delete`.
    public let product: OrderProductRefOrValue?
    /// The quote item that priced this item.
    public let quoteItem: QuoteItemRef?
    /// The POQ item that qualified this item.
    public let productOfferingQualificationItem: OrderPOQItemRef?
    /// The Buyer's desired delivery date.
    public let requestedCompletionDate: MEFDateTime?
    /// `true` asks for expedited delivery by `requestedCompletionDate` (MEF 57.2 §7.3); absent means `false`.
    public let expediteIndicator: Bool?
    /// The term the Buyer asks for.
    public let requestedItemTerm: MEFItemTerm?
    /// The account the item's charges are billed to.
    public let billingAccount: BillingAccountRef?
    /// Relationships to other items of the same order.
    public let productOrderItemRelationship: [OrderItemRelationship]?
    /// When this item may start or finish relative to other items.
    public let coordinatedAction: [OrderItemCoordinatedAction]?
    /// Contacts for this item, e.g. `buyerProductOrderItemContact`, `buyerImplementationContact`.
    public let relatedContactInformation: [RelatedContactInformation]?
    /// The name of the agreement the item falls under.
    public let agreementName: String?
    /// The end customer, a business or a person.
    public let endCustomerName: String?
    /// The Buyer's purchase order number.
    public let relatedBuyerPON: String?
    /// US only: the TSP provisioning and restoration priority (ATIS-0404001).
    public let tspRestorationPriority: String?
    /// Free-form notes, for processes with a human in the loop.
    public let note: [Note]?

    public init(
        id: ProductOrderItemID,
        action: ProductActionType,
        product: OrderProductRefOrValue? = nil,
        quoteItem: QuoteItemRef? = nil,
        productOfferingQualificationItem: OrderPOQItemRef? = nil,
        requestedCompletionDate: MEFDateTime? = nil,
        expediteIndicator: Bool? = nil,
        requestedItemTerm: MEFItemTerm? = nil,
        billingAccount: BillingAccountRef? = nil,
        productOrderItemRelationship: [OrderItemRelationship]? = nil,
        coordinatedAction: [OrderItemCoordinatedAction]? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil,
        agreementName: String? = nil,
        endCustomerName: String? = nil,
        relatedBuyerPON: String? = nil,
        tspRestorationPriority: String? = nil,
        note: [Note]? = nil
    ) {
        self.id = id
        self.action = action
        self.product = product
        self.quoteItem = quoteItem
        self.productOfferingQualificationItem = productOfferingQualificationItem
        self.requestedCompletionDate = requestedCompletionDate
        self.expediteIndicator = expediteIndicator
        self.requestedItemTerm = requestedItemTerm
        self.billingAccount = billingAccount
        self.productOrderItemRelationship = productOrderItemRelationship
        self.coordinatedAction = coordinatedAction
        self.relatedContactInformation = relatedContactInformation
        self.agreementName = agreementName
        self.endCustomerName = endCustomerName
        self.relatedBuyerPON = relatedBuyerPON
        self.tspRestorationPriority = tspRestorationPriority
        self.note = note
    }
}
