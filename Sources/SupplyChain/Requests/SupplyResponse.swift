import CanonicalJSON
import Ledger
import Sonata

/// How the Seller reaches the place (MEF 79.1 Delivery Type).
public enum DeliveryType: String, Codable, Sendable, Hashable, CaseIterable {
    case onNet = "ON_NET"
    case onNetWithBuild = "ON_NET_WITH_BUILD"
    case offNet = "OFF_NET"
    case offNetWithBuild = "OFF_NET_WITH_BUILD"

    /// What a buyer sees when the element was bought from a seller that delivered it as `self`.
    public var resold: DeliveryType {
        switch self {
        case .onNet, .offNet: .offNet
        case .onNetWithBuild, .offNetWithBuild: .offNetWithBuild
        }
    }
}

/// A lower-bandwidth (or otherwise different) product the Seller proposes when the Buyer allows alternates: the
/// attributes of MEF 79.1 Table 17 (R46: its installation interval and delivery type; D4: until when it holds).
public struct AlternateOffer: Codable, Sendable, Hashable {
    public let id: String
    public let offering: String
    public let bandwidthMbps: Int?
    public let price: Money?
    public let installationInterval: TimeSpan
    public let confidence: ServiceabilityColor
    /// How the alternate would be delivered, as the element's own offer says it (nil from a seller that did not).
    public let deliveryType: DeliveryType?
    /// Until when the Seller guarantees the alternate (the quote's validity, set where the answer is priced).
    public let validUntil: Instant?

    public init(
        id: String, offering: String, bandwidthMbps: Int?, price: Money?, installationInterval: TimeSpan,
        confidence: ServiceabilityColor, deliveryType: DeliveryType? = nil, validUntil: Instant? = nil
    ) {
        self.id = id
        self.offering = offering
        self.bandwidthMbps = bandwidthMbps
        self.price = price
        self.installationInterval = installationInterval
        self.confidence = confidence
        self.deliveryType = deliveryType
        self.validUntil = validUntil
    }

    /// The same alternate under another id (alternate ids are unique within an item, R47).
    public func renumbered(as id: String) -> AlternateOffer {
        AlternateOffer(
            id: id, offering: offering, bandwidthMbps: bandwidthMbps, price: price,
            installationInterval: installationInterval, confidence: confidence, deliveryType: deliveryType,
            validUntil: validUntil)
    }
}

/// What a Seller can do for one element: confidence, lead time, delivery type, price and validity.
public struct ElementOffer: Codable, Sendable, Hashable {
    public let confidence: ServiceabilityColor
    public let confidenceReason: String
    public let installationInterval: TimeSpan
    public let deliveryType: DeliveryType?
    /// Monthly recurring price to this buyer; `nil` when the element cannot be delivered (red).
    public let price: Money?
    public let validUntil: Instant?
    public let alternates: [AlternateOffer]
    /// The product offering the seller chose, when the request named only a product specification (MEF 79.1
    /// Use Case 2b, R13, R14); `nil` when the request named the offering itself.
    public let offering: String?

    public init(
        confidence: ServiceabilityColor, confidenceReason: String, installationInterval: TimeSpan,
        deliveryType: DeliveryType?, price: Money?, validUntil: Instant?, alternates: [AlternateOffer] = [],
        offering: String? = nil
    ) {
        self.confidence = confidence
        self.confidenceReason = confidenceReason
        self.installationInterval = installationInterval
        self.deliveryType = deliveryType
        self.price = price
        self.validUntil = validUntil
        self.alternates = alternates
        self.offering = offering
    }

    /// An answer that says "cannot deliver as specified" (MEF 79.1 RED), with the reason.
    public static func red(_ reason: String, alternates: [AlternateOffer] = []) -> ElementOffer {
        ElementOffer(
            confidence: .red, confidenceReason: reason, installationInterval: .zero, deliveryType: nil, price: nil,
            validUntil: nil, alternates: alternates)
    }

    /// Deliverable (green or yellow) with a price.
    public var isDeliverable: Bool { confidence != .red && price != nil }
}

/// The Seller's answer for one POQ item.
public struct ItemAnswer: Codable, Sendable, Hashable {
    public let itemID: String
    public let state: MEF79ItemState
    public let offer: ElementOffer?
    /// Why the item is REJECTED / UNABLE_TO_MEET_TIME / ABANDONED.
    public let reason: String?

    public init(itemID: String, state: MEF79ItemState, offer: ElementOffer? = nil, reason: String? = nil) {
        self.itemID = itemID
        self.state = state
        self.offer = offer
        self.reason = reason
    }
}

/// A Seller's answer to a `SupplyRequest`: acknowledged (deferred), or final.
public struct SupplyResponse: Codable, Sendable, Hashable {
    /// The buyer's request id.
    public let requestID: RequestID
    /// The Seller's own unique id for this POQ / quote (PDL-007, MEF79-R32).
    public let sellerReference: String
    public let kind: RequestKind
    public let state: MEF79POQState
    public let items: [ItemAnswer]
    /// Validation findings when the request was REJECTED.
    public let findings: [ValidationFinding]
    /// A one-line reason for a refusal ("loop", "invalid request", …).
    public let reason: String?
    /// The quote's validity (PDL-018); the earliest of its items'.
    public let validUntil: Instant?
    public let answeredAt: Instant

    public init(
        requestID: RequestID, sellerReference: String, kind: RequestKind, state: MEF79POQState, items: [ItemAnswer],
        findings: [ValidationFinding] = [], reason: String? = nil, validUntil: Instant? = nil, answeredAt: Instant
    ) {
        self.requestID = requestID
        self.sellerReference = sellerReference
        self.kind = kind
        self.state = state
        self.items = items
        self.findings = findings
        self.reason = reason
        self.validUntil = validUntil
        self.answeredAt = answeredAt
    }

    /// Total monthly price of the deliverable items (the bundled quote), `nil` when none is priced.
    public var totalPrice: Money? {
        let prices = items.compactMap { $0.offer?.price }
        guard let first = prices.first else { return nil }
        return prices.dropFirst().reduce(first, +)
    }

    /// The weakest confidence of the answered items (a chain is as confident as its weakest element).
    public var confidence: ServiceabilityColor? { items.compactMap { $0.offer?.confidence }.min() }
}
