import Ledger
import SupplyChain

/// A service in operation (MEF inventory): the elements behind it and its terms, newest last.
public struct ServiceRecord: Sendable, Hashable {
    /// MEF product inventory states.
    public enum State: String, Sendable, Hashable {
        case active, pendingTerminate, terminated
    }

    public struct Element: Sendable, Hashable {
        public let itemID: String
        /// `nil` when the provider delivers it itself.
        public let seller: PartyID?
        public let sellerServiceID: String?
        public var element: ServiceElement
    }

    public let serviceID: String
    public let buyer: PartyID
    public let orderID: RequestID
    public internal(set) var state: State
    public internal(set) var elements: [Element]
    public internal(set) var terms: [ProductTerm]
    public internal(set) var changes: [ServiceChange]
    /// The performance reporting agreed with the order, if any.
    public internal(set) var reporting: ReportingTerms? = nil
    /// When it went into operation.
    public internal(set) var activatedAt: Instant? = nil
    /// Repair outages of its own elements, for availability.
    public internal(set) var outages: [Outage] = []
    /// The buyer's disconnection, once accepted: when it ends, and the order that asked for it.
    public internal(set) var disconnection: Disconnection? = nil

    /// A disconnection the buyer ordered: the service ends `at`, and the buyer hears it on that order.
    public struct Disconnection: Sendable, Hashable {
        public let order: OrderKey
        public let reference: String
        public let at: Instant
    }

    /// A repair outage of one of the provider's own elements.
    public struct Outage: Sendable, Hashable {
        public let itemID: String
        public let from: Instant
        public let duration: TimeSpan
    }
}
