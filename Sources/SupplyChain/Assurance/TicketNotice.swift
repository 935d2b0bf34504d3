import CanonicalJSON
import Ledger
import Sonata

/// What a buyer reports when it opens a trouble ticket (the essentials of a Sonata Trouble Ticket v4 create).
public struct TicketReport: Codable, Sendable, Hashable {
    /// How the service looks to the buyer (Sonata `observedImpact`).
    public enum Impact: String, Codable, Sendable, Hashable, CaseIterable {
        case degraded, intermittent, down
    }

    public let description: String
    public let observedImpact: Impact
    /// The buyer's priority, severity and ticket type (Sonata `priority`, `severity`, `ticketType`), when it gave
    /// them; the buyer's own ticket reference (`externalId`); who to talk to (role `reporterContact`).
    public var priority: String?
    public var severity: String?
    public var ticketType: String?
    public var externalId: String?
    public var reporter: RelatedContactInformation?

    public init(
        description: String, observedImpact: Impact, priority: String? = nil, severity: String? = nil,
        ticketType: String? = nil, externalId: String? = nil, reporter: RelatedContactInformation? = nil
    ) {
        self.description = description
        self.observedImpact = observedImpact
        self.priority = priority
        self.severity = severity
        self.ticketType = ticketType
        self.externalId = externalId
        self.reporter = reporter
    }
}

/// A trouble ticket's state, as Sonata Trouble Ticket v4 names them.
public enum TicketState: String, Codable, Sendable, Hashable, CaseIterable {
    case acknowledged, inProgress, pending, resolved, closed, reopened, assessingCancellation, cancelled
}

/// What happens to a ticket or to the service it is about, in either direction.
public enum TicketEvent: Codable, Sendable, Hashable {
    // From the buyer.
    /// The buyer opens a ticket on one of its services (ETSI PDL §23).
    case opened(report: TicketReport)
    /// The buyer confirms the resolution and closes the ticket (Sonata `close`).
    case closedByBuyer
    /// The buyer ends the service (PDL-067, PDL-068, PDL-072).
    case terminationRequested(reason: String)
    /// The buyer agrees to the seller's repair outage (PDL-074).
    case outageAgreed(from: Instant, duration: TimeSpan)
    /// The buyer withdraws its ticket (Sonata `cancel`).
    case cancelRequested
    /// The buyer does not accept the resolution (Sonata `reopen`): the ticket is diagnosed again.
    case reopened(reason: String)
    // From the seller.
    /// The seller took the ticket.
    case acknowledged
    /// The seller tells the buyer of a fault it found itself (ETSI PDL §22, a Sonata incident).
    case faultNotified(detail: String)
    /// The repair needs the service down (PDL-073, PDL-077).
    case outageScheduled(from: Instant, duration: TimeSpan)
    /// The repair outage is over.
    case outageCompleted
    /// The fault is dealt with: repaired, ignored, or acknowledged (PDL-075..PDL-084).
    case resolved(resolution: String)
    /// A fault the seller notified is repaired, and no ticket of the buyer's was open on it.
    case faultCleared(detail: String)
    /// The resolved ticket closed without the buyer's word, after the agreed time (after-delivery.md decision 5).
    case closedOnTimeout
    /// The service is over (PDL-061, PDL-064, PDL-069).
    case serviceTerminated(reason: String)
    /// The buyer's ticket is withdrawn, as it asked.
    case cancelled

    /// Whether the buyer says this to its seller; every other event goes from the seller to its buyer.
    public var isFromBuyer: Bool {
        switch self {
        case .opened, .closedByBuyer, .terminationRequested, .outageAgreed, .cancelRequested, .reopened: true
        default: false
        }
    }

    /// The ledger entry kind that records this event.
    public var entryKind: LedgerKind {
        switch self {
        case .opened: .ticketOpened
        case .closedByBuyer, .closedOnTimeout: .ticketClosed
        case .terminationRequested: .terminationRequested
        case .outageAgreed: .outageAgreed
        case .acknowledged: .ticketAcknowledged
        case .faultNotified: .faultNotified
        case .outageScheduled: .outageScheduled
        case .outageCompleted: .outageCompleted
        case .resolved: .ticketResolved
        case .faultCleared: .faultCleared
        case .serviceTerminated: .serviceTerminated
        case .cancelRequested: .ticketCancelRequested
        case .reopened: .ticketReopened
        case .cancelled: .ticketCancelled
        }
    }
}

/// One message about a service in operation between a buyer and its seller: a ticket's life, a fault, an outage,
/// a termination. Every one carries the service id (PDL-085): the seller's id for the service in this pair.
public struct TicketNotice: Codable, Sendable, Hashable {
    /// The seller's service id (PDL-085).
    public let serviceID: String
    /// The buyer's ticket id; for a fault the seller found itself, the seller's incident id; empty for a
    /// termination.
    public let ticketID: String
    /// The seller's reference for the ticket, once it has one.
    public let sellerTicketID: String
    public let event: TicketEvent
    public let at: Instant

    public init(serviceID: String, ticketID: String, sellerTicketID: String, event: TicketEvent, at: Instant) {
        self.serviceID = serviceID
        self.ticketID = ticketID
        self.sellerTicketID = sellerTicketID
        self.event = event
        self.at = at
    }

    /// The refs of the entry recording it: the service always, the ticket when there is one.
    public var refs: [String: String] {
        var refs = ["service": serviceID]
        if !ticketID.isEmpty { refs["ticket"] = ticketID }
        return refs
    }

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}
