import CanonicalJSON
import Ledger
import Sonata

/// One product term (`validFor`): a renewal starts a new term and keeps the old ones as history. What happens at
/// its end is Sonata's `EndOfTermAction` (roll month to month, autoRenew, autoDisconnect).
public struct ProductTerm: Codable, Sendable, Hashable {
    public let start: Instant
    public let end: Instant
    public let endOfTermAction: EndOfTermAction

    public init(start: Instant, end: Instant, endOfTermAction: EndOfTermAction) {
        self.start = start
        self.end = end
        self.endOfTermAction = endOfTermAction
    }

    public var length: TimeSpan { end - start }
}

/// A change to a service in operation (PDL-116): a new bandwidth, or a move to another place.
public struct ServiceChange: Codable, Sendable, Hashable {
    public let bandwidthMbps: Int?
    public let place: String?

    public init(bandwidthMbps: Int? = nil, place: String? = nil) {
        self.bandwidthMbps = bandwidthMbps
        self.place = place
    }

    /// A relocation needs the line moved: an outage.
    public var isRelocation: Bool { place != nil }
}

/// What an order asks for.
public enum OrderAction: Codable, Sendable, Hashable {
    /// Deliver what a quote offered (PDL-019, PDL-023): the order references the quote and may not change it.
    case provide(quoteReference: String, items: [JSONValue])
    /// Change an active service (PDL-116): bandwidth or place.
    case change(serviceID: String, ServiceChange)
    /// Start a new product term on an active service, keeping the old term in its history.
    case renew(serviceID: String, ProductTerm)
    /// Disconnect an active service at a date (Sonata `delete`): it ends there, down the chain, and billing with it.
    case disconnect(serviceID: String, at: Instant)
}

/// An order from a buyer to a seller, with its windows (PDL-036).
public struct OrderRequest: Codable, Sendable, Hashable {
    /// The buyer's order id (PDL-040: every message about the order carries it).
    public let id: RequestID
    public let action: OrderAction
    /// The Order Acceptance Window: accepted or rejected by then.
    public let acceptBy: Instant
    /// The Order Activation Window: activated (or failed) by then.
    public let activateBy: Instant
    /// The product term the buyer asks for.
    public let term: ProductTerm?
    /// The performance reporting schedule agreed with the order (PDL-086), if any.
    public let reporting: ReportingTerms?

    public init(
        id: RequestID, action: OrderAction, acceptBy: Instant, activateBy: Instant, term: ProductTerm?,
        reporting: ReportingTerms? = nil
    ) {
        self.id = id
        self.action = action
        self.acceptBy = acceptBy
        self.activateBy = activateBy
        self.term = term
        self.reporting = reporting
    }

    /// The ledger body of an `order.request` entry.
    public var ledgerBody: JSONValue {
        (try? JSONValue(encoding: self)) ?? .null
    }
}

/// What a seller or a buyer says about an order after it was placed.
public enum OrderEvent: Codable, Sendable, Hashable {
    /// PDL-031, PDL-035.
    case accepted
    /// PDL-031, PDL-034, with the reason.
    case rejected(String)
    /// PDL-047: the whole chain is active and tested; the service id names it from now on (PDL-039).
    case activated(serviceID: String)
    /// PDL-048, PDL-054.
    case failed(String)
    /// PDL-058: the buyer cancels (abandonment upstream).
    case cancelled(String)
    /// The seller asks for more time to activate (ETSI Service Delivery step 9).
    case extensionRequested(until: Instant)
    /// The buyer grants it; sellers pass the new window downstream (PDL-059, PDL-060).
    case windowChanged(until: Instant)
    /// The buyer refuses the extension.
    case extensionRefused
    /// A change's price and outage (PDL-117), sent before it is carried out.
    case changeQuoted(price: Money, outage: TimeSpan)
    /// A coordinated maintenance outage (PDL-118).
    case outageScheduled(from: Instant, duration: TimeSpan)
    /// The change or renewal is done.
    case changed(serviceID: String)
    /// A new product term started on the service.
    case renewed(serviceID: String, ProductTerm)
    /// The service ended (autoDisconnect, or terminated).
    case disconnected(serviceID: String)
    /// The buyer cancelled its disconnection order before the date: the service stays in operation.
    case disconnectionWithdrawn(serviceID: String)

    /// Whether the buyer says this to its seller (a cancellation, an answer to an extension request); every
    /// other event goes from the seller to its buyer.
    public var isFromBuyer: Bool {
        switch self {
        case .cancelled, .windowChanged, .extensionRefused: true
        default: false
        }
    }

    /// The ledger entry kind that records this event, as text (what Sonata renderings and metrics show).
    public var ledgerKind: String { entryKind.rawValue }

    /// The ledger entry kind that records this event.
    public var entryKind: LedgerKind {
        switch self {
        case .accepted: .orderAccepted
        case .rejected: .orderRejected
        case .activated: .orderActivated
        case .failed: .orderFailed
        case .cancelled: .orderCancelled
        case .extensionRequested: .windowExtensionRequested
        case .windowChanged: .windowChanged
        case .extensionRefused: .windowExtensionRefused
        case .changeQuoted: .changeQuoted
        case .outageScheduled: .changeOutageScheduled
        case .changed: .changeCompleted
        case .renewed: .orderRenewed
        case .disconnected: .serviceDisconnected
        case .disconnectionWithdrawn: .disconnectionWithdrawn
        }
    }
}

/// One notice about an order, in either direction.
public struct OrderNotice: Codable, Sendable, Hashable {
    /// The buyer's order id.
    public let orderID: RequestID
    /// The seller's own reference for the order.
    public let sellerOrderReference: String
    public let event: OrderEvent
    public let at: Instant
    /// With Order Activated: what the seller activated, one entry per ordered item, for the buyer's chain test
    /// (PDL-045, PDL-046). Absent from every other notice.
    public let evidence: [ActivationEvidence]?

    public init(
        orderID: RequestID, sellerOrderReference: String, event: OrderEvent, at: Instant,
        evidence: [ActivationEvidence]? = nil
    ) {
        self.orderID = orderID
        self.sellerOrderReference = sellerOrderReference
        self.event = event
        self.at = at
        self.evidence = evidence
    }

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}
