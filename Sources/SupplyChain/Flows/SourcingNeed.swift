import CanonicalJSON
import Ledger

/// One element to source, and whether the SOF can deliver it itself (then a seller that is too slow to ask does
/// not make the item unable to meet the time).
public struct SourcingNeed: Sendable {
    public let element: ServiceElement
    public let deliverableInternally: Bool

    public init(element: ServiceElement, deliverableInternally: Bool) {
        self.element = element
        self.deliverableInternally = deliverableInternally
    }
}
