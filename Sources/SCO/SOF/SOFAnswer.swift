import Sonata
import SupplyChain

/// The SOF's answer for one element (PDL-009): YES with cost, lead time and limits, or NO with the reason.
public struct SOFAnswer: Sendable, Hashable {
    public let itemID: String
    /// YES or NO.
    public let deliverable: Bool
    /// The offer at cost (before the S-BUS adds markup); red when NO.
    public let offer: ElementOffer
    /// A sentence for the ledger and the summary.
    public let detail: String

    /// The INT-ledger body recording this answer (PDL-010).
    public var ledgerBody: CanonicalBody {
        var body: [String: CanonicalBody] = [
            "itemId": .string(itemID),
            "answer": .string(deliverable ? "YES" : "NO"),
            "detail": .string(detail),
            "confidence": .string(offer.confidence.rawValue),
        ]
        if let price = offer.price { body["cost"] = .number(price.amount) }
        if let deliveryType = offer.deliveryType { body["deliveryType"] = .string(deliveryType.rawValue) }
        if deliverable {
            body["installationIntervalDays"] = .number(Double(offer.installationInterval.wholeDaysRoundedUp))
        }
        if !offer.alternates.isEmpty { body["alternates"] = .number(Double(offer.alternates.count)) }
        return .object(body)
    }
}
