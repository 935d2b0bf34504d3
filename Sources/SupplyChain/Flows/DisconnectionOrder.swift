import CanonicalJSON
import Ledger
import Sonata

/// A buyer's disconnection of one of its services at a date (a Sonata `delete` item).
public struct DisconnectionOrder: Sendable {
    public let key: OrderKey
    public let order: OrderRequest
    public let reference: String
    public let serviceID: String
    /// When the service ends (a date already passed means at once).
    public let at: Instant

    public init(key: OrderKey, order: OrderRequest, reference: String, serviceID: String, at: Instant) {
        self.key = key
        self.order = order
        self.reference = reference
        self.serviceID = serviceID
        self.at = at
    }
}
