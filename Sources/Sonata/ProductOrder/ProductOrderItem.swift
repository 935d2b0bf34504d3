/// One item of a product order as the Seller returns it (`ProductOrderItem`): the request plus state and dates.
public struct ProductOrderItem: Codable, Sendable, Hashable {
    /// The Buyer's identifier of the item, unique within the order.
    public let id: ProductOrderItemID
    /// Install, change or disconnect.
    public let action: ProductActionType
    /// The item's state (optional in the v10 schema).
    public let state: ProductOrderItemState?
    /// The product: described for `add`, pointed at (and described) for `modify`, pointed at for `delete`.
    public let product: OrderProductRefOrValue?
    /// The quote item that priced this item.
    public let quoteItem: QuoteItemRef?
    /// The POQ item that qualified this item.
    public let productOfferingQualificationItem: OrderPOQItemRef?
    /// The Buyer's desired delivery date.
    public let requestedCompletionDate: MEFDateTime?
    /// Whether the Buyer asked for expedited delivery; absent means `false`.
    public let expediteIndicator: Bool?
    /// Whether the Seller accepted the expedite request; absent means `false`.
    public let expediteAcceptedIndicator: Bool?
    /// The date the Seller expects to complete the item.
    public let expectedCompletionDate: MEFDateTime?
    /// When the item reached a terminal state.
    public let completionDate: MEFDateTime?
    /// The term the Buyer asked for.
    public let requestedItemTerm: MEFItemTerm?
    /// The term the Seller applies (at most one).
    public let itemTerm: [MEFItemTerm]?
    /// The account the item's charges are billed to.
    public let billingAccount: BillingAccountRef?
    /// Relationships to other items of the same order.
    public let productOrderItemRelationship: [OrderItemRelationship]?
    /// When this item may start or finish relative to other items.
    public let coordinatedAction: [OrderItemCoordinatedAction]?
    /// Contacts for this item.
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
    /// Completed charges with accepted charge items.
    public let charge: [ProductOrderChargeRef]?
    /// Milestones the item reached.
    public let milestone: [Milestone]?
    /// The states the item went through.
    public let stateChange: [ProductOrderItemStateChange]?
    /// Why the Seller could not process the item.
    public let terminationError: [TerminationError]?

    public init(
        id: ProductOrderItemID,
        action: ProductActionType,
        state: ProductOrderItemState? = nil,
        product: OrderProductRefOrValue? = nil,
        quoteItem: QuoteItemRef? = nil,
        productOfferingQualificationItem: OrderPOQItemRef? = nil,
        requestedCompletionDate: MEFDateTime? = nil,
        expediteIndicator: Bool? = nil,
        expediteAcceptedIndicator: Bool? = nil,
        expectedCompletionDate: MEFDateTime? = nil,
        completionDate: MEFDateTime? = nil,
        requestedItemTerm: MEFItemTerm? = nil,
        itemTerm: [MEFItemTerm]? = nil,
        billingAccount: BillingAccountRef? = nil,
        productOrderItemRelationship: [OrderItemRelationship]? = nil,
        coordinatedAction: [OrderItemCoordinatedAction]? = nil,
        relatedContactInformation: [RelatedContactInformation]? = nil,
        agreementName: String? = nil,
        endCustomerName: String? = nil,
        relatedBuyerPON: String? = nil,
        tspRestorationPriority: String? = nil,
        note: [Note]? = nil,
        charge: [ProductOrderChargeRef]? = nil,
        milestone: [Milestone]? = nil,
        stateChange: [ProductOrderItemStateChange]? = nil,
        terminationError: [TerminationError]? = nil
    ) {
        self.id = id
        self.action = action
        self.state = state
        self.product = product
        self.quoteItem = quoteItem
        self.productOfferingQualificationItem = productOfferingQualificationItem
        self.requestedCompletionDate = requestedCompletionDate
        self.expediteIndicator = expediteIndicator
        self.expediteAcceptedIndicator = expediteAcceptedIndicator
        self.expectedCompletionDate = expectedCompletionDate
        self.completionDate = completionDate
        self.requestedItemTerm = requestedItemTerm
        self.itemTerm = itemTerm
        self.billingAccount = billingAccount
        self.productOrderItemRelationship = productOrderItemRelationship
        self.coordinatedAction = coordinatedAction
        self.relatedContactInformation = relatedContactInformation
        self.agreementName = agreementName
        self.endCustomerName = endCustomerName
        self.relatedBuyerPON = relatedBuyerPON
        self.tspRestorationPriority = tspRestorationPriority
        self.note = note
        self.charge = charge
        self.milestone = milestone
        self.stateChange = stateChange
        self.terminationError = terminationError
    }

    /// The response item echoing a requested item, in `state`, before the Seller adds dates or terms.
    public init(_ request: ProductOrderItemCreate, state: ProductOrderItemState) {
        self.init(
            id: request.id, action: request.action, state: state, product: request.product,
            quoteItem: request.quoteItem, productOfferingQualificationItem: request.productOfferingQualificationItem,
            requestedCompletionDate: request.requestedCompletionDate, expediteIndicator: request.expediteIndicator,
            requestedItemTerm: request.requestedItemTerm, billingAccount: request.billingAccount,
            productOrderItemRelationship: request.productOrderItemRelationship,
            coordinatedAction: request.coordinatedAction, relatedContactInformation: request.relatedContactInformation,
            agreementName: request.agreementName, endCustomerName: request.endCustomerName,
            relatedBuyerPON: request.relatedBuyerPON, tspRestorationPriority: request.tspRestorationPriority,
            note: request.note)
    }
}
