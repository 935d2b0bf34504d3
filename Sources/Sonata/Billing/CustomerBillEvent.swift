import Foundation

/// A billing notification sent to a registered Buyer's listener (billingNotification.api.yaml `CustomerBillEvent`,
/// MEF 141 billing v2): which bill was created or changed state.
public struct CustomerBillEvent: Codable, Sendable, Hashable {
    public let eventId: String
    public let eventTime: MEFDateTime
    public let eventType: CustomerBillEventType
    public let event: CustomerBillEventPayload

    public init(
        eventId: String, eventTime: MEFDateTime, eventType: CustomerBillEventType, event: CustomerBillEventPayload
    ) {
        self.eventId = eventId
        self.eventTime = eventTime
        self.eventType = eventType
        self.event = event
    }
}

/// The kind of a billing notification (`CustomerBillEventType`).
public enum CustomerBillEventType: String, SonataEnum {
    case customerBillCreateEvent, customerBillStateChangeEvent
}

/// Which bill a notification is about (`CustomerBillEventPayload`).
public struct CustomerBillEventPayload: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?
    public let sellerId: String?
    public let buyerId: String?

    public init(id: String, href: String?, sellerId: String?, buyerId: String?) {
        self.id = id
        self.href = href
        self.sellerId = sellerId
        self.buyerId = buyerId
    }
}
