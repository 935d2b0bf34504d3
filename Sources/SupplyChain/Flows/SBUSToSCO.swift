import CanonicalJSON
import Ledger
import Sonata

/// What the S-BUS hands the SCO: admitted requests, orders that passed the order desk, changes, renewals, and the
/// buyer's word about an order in fulfilment.
public enum SBUSToSCO: Sendable {
    /// An admitted POQ or inquiry: decompose it and source every element (PDL-008..PDL-013).
    case qualify(QualificationRequest)
    /// An order that references a valid quote unchanged: reserve, order and activate it (PDL-026..PDL-030).
    case fulfil(OrderPlacement)
    /// A change to an active service (PDL-116).
    case change(ServiceChangeOrder)
    /// A new product term on an active service.
    case renew(RenewalOrder)
    /// The buyer cancels, extends the activation window or refuses an extension (PDL-056..PDL-060).
    case buyerNotice(OrderKey, OrderEvent)
}

/// An admitted POQ or inquiry as the SCO needs it.
public struct QualificationRequest: Sendable {
    public let key: RequestKey
    public let kind: RequestKind
    /// The S-BUS's own id for it (PDL-007), carried on the SCO's records.
    public let sellerReference: String
    public let poq: ProductOfferingQualificationCreate
    /// The buyer's payload as written, copied item by item into the sellers' requests.
    public let payload: JSONValue
    public let loopPreventionList: LoopPreventionList
    /// When the sellers' answers are due: the buyer's window minus this provider's processing time.
    public let deadline: Instant

    public init(
        key: RequestKey, kind: RequestKind, sellerReference: String, poq: ProductOfferingQualificationCreate,
        payload: JSONValue, loopPreventionList: LoopPreventionList, deadline: Instant
    ) {
        self.key = key
        self.kind = kind
        self.sellerReference = sellerReference
        self.poq = poq
        self.payload = payload
        self.loopPreventionList = loopPreventionList
        self.deadline = deadline
    }

    /// The refs every record about this request carries.
    public var refs: [String: String] {
        ["request": key.requestID.rawValue, kind == .poq ? "poq" : "quote": sellerReference]
    }
}

/// An order the order desk accepted for fulfilment, with what the quote said about each element.
public struct OrderPlacement: Sendable {
    public let key: OrderKey
    public let order: OrderRequest
    /// This provider's reference for the order.
    public let reference: String
    public let quoteReference: String
    public let elements: [QuotedElement]

    public init(
        key: OrderKey, order: OrderRequest, reference: String, quoteReference: String, elements: [QuotedElement]
    ) {
        self.key = key
        self.order = order
        self.reference = reference
        self.quoteReference = quoteReference
        self.elements = elements
    }
}

/// One quoted element of an order: the item as quoted and its deliverable sources, best first.
public struct QuotedElement: Sendable {
    public let itemID: String
    public let item: JSONValue
    public let element: ServiceElement
    public let sources: [Candidate]

    public init(itemID: String, item: JSONValue, element: ServiceElement, sources: [Candidate]) {
        self.itemID = itemID
        self.item = item
        self.element = element
        self.sources = sources
    }
}

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
