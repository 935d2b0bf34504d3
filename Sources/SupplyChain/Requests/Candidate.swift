import Ledger
import Sonata

/// Where an element's offer comes from: the provider's own SOF, or a seller downstream.
public enum Source: Hashable, Sendable, Codable, CustomStringConvertible {
    case `internal`
    case seller(PartyID, requestID: RequestID, sellerReference: String)

    public var description: String {
        switch self {
        case .internal: "internal"
        case .seller(let party, _, _): party.rawValue
        }
    }
}

/// One way to get an element, at its cost to this provider.
public struct Candidate: Hashable, Sendable {
    public let source: Source
    public let offer: ElementOffer

    public init(source: Source, offer: ElementOffer) {
        self.source = source
        self.offer = offer
    }
}

/// How answers for one element are ranked (ETSI step 7: price, SLA, lead time). Configurable per provider.
///
/// Deliverable offers (green or yellow, priced) always come before red ones; among them the criteria apply in the
/// order given; the last tie-breaker is the source's name, so that the choice is deterministic.
public struct RankingPolicy: Hashable, Sendable, Codable {
    public enum Criterion: String, Hashable, Sendable, Codable, CaseIterable {
        /// Lower monthly price first.
        case price
        /// Green before yellow.
        case confidence
        /// Shorter installation interval first.
        case leadTime
        /// The provider's own SOF before sellers.
        case preferInternal
    }

    public let criteria: [Criterion]

    public init(criteria: [Criterion]) { self.criteria = criteria }

    /// Price, then confidence, then lead time, then own delivery.
    public static let `default` = RankingPolicy(criteria: [.price, .confidence, .leadTime, .preferInternal])

    /// Whether `lhs` ranks strictly before `rhs`.
    public func prefers(_ lhs: Candidate, over rhs: Candidate) -> Bool {
        if lhs.offer.isDeliverable != rhs.offer.isDeliverable { return lhs.offer.isDeliverable }
        for criterion in criteria {
            switch criterion {
            case .price:
                let left = lhs.offer.price?.minorUnits ?? .max
                let right = rhs.offer.price?.minorUnits ?? .max
                if left != right { return left < right }
            case .confidence:
                if lhs.offer.confidence != rhs.offer.confidence { return lhs.offer.confidence > rhs.offer.confidence }
            case .leadTime:
                if lhs.offer.installationInterval != rhs.offer.installationInterval {
                    return lhs.offer.installationInterval < rhs.offer.installationInterval
                }
            case .preferInternal:
                let leftInternal = lhs.source == .internal
                let rightInternal = rhs.source == .internal
                if leftInternal != rightInternal { return leftInternal }
            }
        }
        return lhs.source.description < rhs.source.description
    }

    /// The candidates best first.
    public func rank(_ candidates: [Candidate]) -> [Candidate] {
        candidates.sorted { prefers($0, over: $1) }
    }
}
