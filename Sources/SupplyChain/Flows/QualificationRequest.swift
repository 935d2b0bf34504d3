import CanonicalJSON
import Ledger
import Sonata

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
