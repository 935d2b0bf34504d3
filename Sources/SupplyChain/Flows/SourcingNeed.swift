import CanonicalJSON
import Ledger

/// One element to source, and whether the SOF can deliver it itself (then a seller that is too slow to ask does
/// not make the item unable to meet the time).
public struct SourcingNeed: Sendable {
    public let element: ServiceElement
    public let deliverableInternally: Bool
    /// For a CHANGE item, the product bought from a seller that it changes; `nil` for a new product.
    public let changing: ChangedProduct?
    /// The buyer's existing products the item relates to (its `productRelationship`, MEF 79.1 R23, R51), each by the
    /// id a seller gave the part of it bought from that seller: product id → seller → that seller's product id.
    public let relatedProducts: [String: [PartyID: String]]

    public init(
        element: ServiceElement, deliverableInternally: Bool, changing: ChangedProduct? = nil,
        relatedProducts: [String: [PartyID: String]] = [:]
    ) {
        self.element = element
        self.deliverableInternally = deliverableInternally
        self.changing = changing
        self.relatedProducts = relatedProducts
    }
}
