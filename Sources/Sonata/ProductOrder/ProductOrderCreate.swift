/// A Buyer's product order request (`ProductOrder_Create`, Product Order API v10): the items to deliver.
public struct ProductOrderCreate: Codable, Sendable, Hashable {
    /// Contacts; at least one, e.g. `productOrderContact`.
    public let relatedContactInformation: [RelatedContactInformation]
    /// The items to deliver; at least one.
    public let productOrderItem: [ProductOrderItemCreate]
    /// The Buyer's own reference for the order.
    public let externalId: String?
    /// Groups orders that belong to one Buyer project.
    public let projectId: String?
    /// Not in the v10 schema (it is per item there): an order-level due date, as MEF's Access E-Line examples send.
    public let requestedCompletionDate: MEFDateTime?
    /// Free-form notes, for processes with a human in the loop.
    public let note: [Note]?

    public init(
        relatedContactInformation: [RelatedContactInformation],
        productOrderItem: [ProductOrderItemCreate],
        externalId: String? = nil,
        projectId: String? = nil,
        requestedCompletionDate: MEFDateTime? = nil,
        note: [Note]? = nil
    ) {
        self.relatedContactInformation = relatedContactInformation
        self.productOrderItem = productOrderItem
        self.externalId = externalId
        self.projectId = projectId
        self.requestedCompletionDate = requestedCompletionDate
        self.note = note
    }
}
