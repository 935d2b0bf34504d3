import CanonicalJSON
import Ledger
import Sonata

/// A buyer's renewal of one of its services.
public struct RenewalOrder: Sendable {
    public let key: OrderKey
    public let order: OrderRequest
    public let reference: String
    public let serviceID: String
    public let term: ProductTerm

    public init(key: OrderKey, order: OrderRequest, reference: String, serviceID: String, term: ProductTerm) {
        self.key = key
        self.order = order
        self.reference = reference
        self.serviceID = serviceID
        self.term = term
    }
}
