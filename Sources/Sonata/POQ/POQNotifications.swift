import Foundation

/// Register for POQ notifications (`EventSubscriptionInput`, MEF 79.1 Use Case 1).
public struct EventSubscriptionInput: Codable, Sendable, Hashable {
    /// Base URL of the Buyer's listener; the Seller appends the notification API's paths.
    public let callback: String
    /// e.g. `eventType=poqStateChangeEvent,poqItemStateChangeEvent`; empty or absent means all types.
    public let query: String?

    public init(callback: String, query: String? = nil) {
        self.callback = callback
        self.query = query
    }

    /// The event types this registration asks for (all when the query names none).
    public var eventTypes: Set<POQEventType> {
        let types = eventTypeNames.compactMap(POQEventType.init(rawValue:))
        return types.isEmpty ? Set(POQEventType.allCases) : Set(types)
    }

    /// The event type names the query gives (`eventType=a,b`); empty when it names none (every type wanted).
    public var eventTypeNames: [String] {
        guard let query, let range = query.range(of: "eventType") else { return [] }
        let tail = query[range.upperBound...].drop { $0 == " " || $0 == "=" }.prefix { $0 != "&" }
        return tail.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// A registration as the Seller stores it (`EventSubscription`).
public struct EventSubscription: Codable, Sendable, Hashable {
    public let id: String
    public let callback: String
    public let query: String?

    public init(id: String, callback: String, query: String? = nil) {
        self.id = id
        self.callback = callback
        self.query = query
    }
}

/// The kinds of POQ notification (MEF 79.1 Use Case 5).
public enum POQEventType: String, SonataEnum {
    case poqCreateEvent, poqStateChangeEvent, poqItemStateChangeEvent
}

/// A POQ notification sent to a registered Buyer's listener.
public struct POQEvent: Codable, Sendable, Hashable {
    public let eventId: String
    public let eventTime: MEFDateTime
    public let eventType: POQEventType
    public let event: POQEventPayload

    public init(eventId: String, eventTime: MEFDateTime, eventType: POQEventType, event: POQEventPayload) {
        self.eventId = eventId
        self.eventTime = eventTime
        self.eventType = eventType
        self.event = event
    }
}

/// What a POQ notification points at (`PoqEvent`); the Buyer fetches the POQ for the new state.
public struct POQEventPayload: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?
    public let poqItemId: String?
    public let buyerId: String?
    public let sellerId: String?

    public init(
        id: String, href: String? = nil, poqItemId: String? = nil, buyerId: String? = nil, sellerId: String? = nil
    ) {
        self.id = id
        self.href = href
        self.poqItemId = poqItemId
        self.buyerId = buyerId
        self.sellerId = sellerId
    }
}

/// One row of a Retrieve POQ List answer (`ProductOfferingQualification_Find`, MEF 79.1 Use Case 3).
public struct ProductOfferingQualificationFind: Codable, Sendable, Hashable {
    public let id: String
    public let state: POQState
    public let externalId: String?
    public let projectId: String?
    public let requestedPOQCompletionDate: String?

    public init(
        id: String, state: POQState, externalId: String? = nil, projectId: String? = nil,
        requestedPOQCompletionDate: String? = nil
    ) {
        self.id = id
        self.state = state
        self.externalId = externalId
        self.projectId = projectId
        self.requestedPOQCompletionDate = requestedPOQCompletionDate
    }
}
