import CanonicalJSON
import Ledger
import Sonata

/// A buyer's reference for one request it sent: unique per buyer, echoed in every answer.
public struct RequestID: RawRepresentable, Hashable, Comparable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public static func < (lhs: RequestID, rhs: RequestID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// POQ (feasibility: confidence and installation interval) or inquiry (a priced quote, ETSI Inquiry and Quote).
public enum RequestKind: String, Codable, Sendable, CaseIterable {
    case poq
    case inquiry
}

/// What travels from a buyer to a seller: the MEF Sonata POQ payload plus the supply-chain envelope.
public struct SupplyRequest: Codable, Hashable, Sendable {
    public let id: RequestID
    public let kind: RequestKind
    /// The `ProductOfferingQualification_Create` JSON exactly as the buyer sent it; the S-BUS validates it.
    public let payload: JSONValue
    /// Every upstream buyer, salted and hashed (PDL-005).
    public let loopPreventionList: LoopPreventionList
    /// The buyer's response window: the answer must arrive by then.
    public let respondBy: Instant

    public init(
        id: RequestID, kind: RequestKind, payload: JSONValue, loopPreventionList: LoopPreventionList, respondBy: Instant
    ) {
        self.id = id
        self.kind = kind
        self.payload = payload
        self.loopPreventionList = loopPreventionList
        self.respondBy = respondBy
    }

    /// The ledger body of a `poq.request` / `inquiry.request` entry: the payload and its envelope, loop list included.
    public var ledgerBody: JSONValue {
        [
            "requestId": .string(id.rawValue),
            "kind": .string(kind.rawValue),
            "respondBy": .string(respondBy.description),
            "loopPreventionList": .array(
                loopPreventionList.entries.map { ["salt": .string($0.salt), "digest": .string($0.digest)] }),
            "productOfferingQualification": payload,
        ]
    }
}
