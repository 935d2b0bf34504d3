import CanonicalJSON
import Ledger

/// One element to source, and whether the SOF can deliver it itself (then a seller that is too slow to ask does
/// not make the item unable to meet the time).
public struct SourcingNeed: Sendable {
    public let element: ServiceElement
    public let deliverableInternally: Bool
    /// For a CHANGE item, the product bought from a seller that it changes; `nil` for a new product.
    public let changing: ChangedProduct?

    public init(element: ServiceElement, deliverableInternally: Bool, changing: ChangedProduct? = nil) {
        self.element = element
        self.deliverableInternally = deliverableInternally
        self.changing = changing
    }
}
