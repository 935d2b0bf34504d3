/// A product order notification the Seller posts to the Buyer's listener (`ProductOrderEvent`, notification v10).
///
/// It names the order (and item, and milestone) concerned; the Buyer fetches the order for the new state.
public struct ProductOrderEvent: Codable, Sendable, Hashable {
    /// The event's identifier.
    public let eventId: String
    /// When the event occurred.
    public let eventTime: MEFDateTime
    /// What happened.
    public let eventType: ProductOrderEventType
    /// Which order (and item).
    public let event: ProductOrderEventPayload

    public init(
        eventId: String,
        eventTime: MEFDateTime,
        eventType: ProductOrderEventType,
        event: ProductOrderEventPayload
    ) {
        self.eventId = eventId
        self.eventTime = eventTime
        self.eventType = eventType
        self.event = event
    }
}

/// The kind of a product order notification (`ProductOrderEventType`).
public enum ProductOrderEventType: String, SonataEnum {
    case productOrderStateChangeEvent, productOrderItemStateChangeEvent, productOrderItemExpectedCompletionDateSet,
        productSpecificProductOrderItemMilestoneEvent
}

/// The order (and item) a notification is about (`ProductOrderEventPayload`).
public struct ProductOrderEventPayload: Codable, Sendable, Hashable {
    /// The order.
    public let id: ProductOrderID
    /// A link to the order.
    public let href: String?
    /// For item events: the item concerned.
    public let orderItemId: ProductOrderItemID?
    /// For milestone events: the milestone reached.
    public let milestoneName: String?
    /// The Seller, when the sender represents more than one (MEF 79 §8.8).
    public let sellerId: String?
    /// The Buyer, when the receiver represents more than one (MEF 79 §8.8).
    public let buyerId: String?

    public init(
        id: ProductOrderID,
        href: String? = nil,
        orderItemId: ProductOrderItemID? = nil,
        milestoneName: String? = nil,
        sellerId: String? = nil,
        buyerId: String? = nil
    ) {
        self.id = id
        self.href = href
        self.orderItemId = orderItemId
        self.milestoneName = milestoneName
        self.sellerId = sellerId
        self.buyerId = buyerId
    }
}
