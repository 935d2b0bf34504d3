import CanonicalJSON
import Ledger
import Sonata

/// A buyer's change order for one of its services.
public struct ServiceChangeOrder: Sendable {
    public let key: OrderKey
    public let order: OrderRequest
    public let reference: String
    public let serviceID: String
    public let change: ServiceChange

    public init(key: OrderKey, order: OrderRequest, reference: String, serviceID: String, change: ServiceChange) {
        self.key = key
        self.order = order
        self.reference = reference
        self.serviceID = serviceID
        self.change = change
    }
}
