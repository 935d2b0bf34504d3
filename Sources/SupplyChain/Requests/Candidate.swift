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
    /// The seller's SLA reputation in thousandths as the buyer computes it; nil when it has no record yet (and for
    /// the provider's own SOF).
    public let reputation: Int64?

    public init(source: Source, offer: ElementOffer, reputation: Int64? = nil) {
        self.source = source
        self.offer = offer
        self.reputation = reputation
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
        /// A higher SLA reputation first (a source without a record yet counts as 9.9).
        case reputation
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
            case .reputation:
                let left = lhs.reputation ?? 9_900
                let right = rhs.reputation ?? 9_900
                if left != right { return left > right }
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
