/// A product order as the Seller returns it (`ProductOrder`, Product Order API v10): the request plus id and state.
public struct ProductOrder: Codable, Sendable, Hashable {
    /// The Seller's identifier of the order.
    public let id: ProductOrderID
    /// A link to the order.
    public let href: String?
    /// When the order was acknowledged and got its id.
    public let orderDate: MEFDateTime
    /// The order's state.
    public let state: ProductOrderState
    /// Contacts; at least one.
    public let relatedContactInformation: [RelatedContactInformation]
    /// The items; at least one.
    public let productOrderItem: [ProductOrderItem]
    /// The Buyer's own reference for the order.
    public let externalId: String?
    /// Groups orders that belong to one Buyer project.
    public let projectId: String?
    /// Not in the v10 schema: an order-level due date, echoed when the request carried one.
    public let requestedCompletionDate: MEFDateTime?
    /// When every item reached a terminal state.
    public let completionDate: MEFDateTime?
    /// When the order moved to `cancelled`.
    public let cancellationDate: MEFDateTime?
    /// Why the order was cancelled.
    public let cancellationReason: String?
    /// Charges for cancelling the order.
    public let cancellationCharge: [ProductOrderChargeRef]?
    /// The states the order went through.
    public let stateChange: [ProductOrderStateChange]?
    /// Free-form notes, for processes with a human in the loop.
    public let note: [Note]?

    public init(
        id: ProductOrderID,
        href: String? = nil,
        orderDate: MEFDateTime,
        state: ProductOrderState,
        relatedContactInformation: [RelatedContactInformation],
        productOrderItem: [ProductOrderItem],
        externalId: String? = nil,
        projectId: String? = nil,
        requestedCompletionDate: MEFDateTime? = nil,
        completionDate: MEFDateTime? = nil,
        cancellationDate: MEFDateTime? = nil,
        cancellationReason: String? = nil,
        cancellationCharge: [ProductOrderChargeRef]? = nil,
        stateChange: [ProductOrderStateChange]? = nil,
        note: [Note]? = nil
    ) {
        self.id = id
        self.href = href
        self.orderDate = orderDate
        self.state = state
        self.relatedContactInformation = relatedContactInformation
        self.productOrderItem = productOrderItem
        self.externalId = externalId
        self.projectId = projectId
        self.requestedCompletionDate = requestedCompletionDate
        self.completionDate = completionDate
        self.cancellationDate = cancellationDate
        self.cancellationReason = cancellationReason
        self.cancellationCharge = cancellationCharge
        self.stateChange = stateChange
        self.note = note
    }
}
