/// A quote notification the Seller posts to the Buyer's listener (`Event` in the Quote Notification API v8).
///
/// It names the quote (and item) whose state changed; the Buyer fetches the quote for the new state.
public struct QuoteEvent: Codable, Sendable, Hashable {
    /// The event's identifier.
    public let eventId: String
    /// When the event occurred.
    public let eventTime: MEFDateTime
    /// Whether the quote or one of its items changed state.
    public let eventType: QuoteEventType
    /// Which quote (and item).
    public let event: QuoteEventPayload

    public init(eventId: String, eventTime: MEFDateTime, eventType: QuoteEventType, event: QuoteEventPayload) {
        self.eventId = eventId
        self.eventTime = eventTime
        self.eventType = eventType
        self.event = event
    }
}

/// The kind of a quote notification (`QuoteEventType`).
public enum QuoteEventType: String, SonataEnum {
    case quoteStateChangeEvent, quoteItemStateChangeEvent
}

/// The quote (and item) a notification is about (`QuoteEvent` in the Quote Notification API v8).
public struct QuoteEventPayload: Codable, Sendable, Hashable {
    /// The quote.
    public let id: QuoteID
    /// A link to the quote.
    public let href: String?
    /// For `quoteItemStateChangeEvent`: the item whose state changed.
    public let quoteItemId: QuoteItemID?
    /// The Seller, when the sender represents more than one (MEF 79 §8.8).
    public let sellerId: String?
    /// The Buyer, when the receiver represents more than one (MEF 79 §8.8).
    public let buyerId: String?

    public init(
        id: QuoteID,
        href: String? = nil,
        quoteItemId: QuoteItemID? = nil,
        sellerId: String? = nil,
        buyerId: String? = nil
    ) {
        self.id = id
        self.href = href
        self.quoteItemId = quoteItemId
        self.sellerId = sellerId
        self.buyerId = buyerId
    }
}
