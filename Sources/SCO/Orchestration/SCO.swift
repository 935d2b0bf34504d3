import Sonata
import SupplyChain

/// Service Chain Orchestration: decomposes a request into service elements, consults the SOF for each, decides
/// what B-BUS must source, and chains internal and external answers into one offer. Pure.
public struct SCO: Sendable {
    public var sof: SOF
    public let ranking: RankingPolicy

    public init(sof: SOF, ranking: RankingPolicy = .default) {
        self.sof = sof
        self.ranking = ranking
    }

    /// One element per POQ item (PDL-008 asks the SOF about each of them).
    public func decompose(_ poq: ProductOfferingQualificationCreate) -> [ServiceElement] {
        poq.productOfferingQualificationItem.map(ServiceElement.init(item:))
    }

    /// Whether an element should also be asked of sellers: the SOF said NO, or can only deliver with a build
    /// (a seller that is on-net may be faster or cheaper).
    public func needsExternalSourcing(_ answer: SOFAnswer) -> Bool {
        !answer.deliverable || answer.offer.confidence != .green
    }

    /// Chooses the element's source among the SOF's answer and the sellers' (PDL-013), by the ranking policy.
    ///
    /// - Returns: the winning candidate, or `nil` when nothing is deliverable; in that case `alternates` of the
    ///   red answers are pooled so the buyer still hears of lower-bandwidth options.
    public func chain(internal sofAnswer: SOFAnswer, external: [Candidate]) -> ChainDecision {
        var candidates = external
        if sofAnswer.deliverable { candidates.append(Candidate(source: .internal, offer: sofAnswer.offer)) }
        let ranked = ranking.rank(candidates)
        if let best = ranked.first, best.offer.isDeliverable {
            return .sourced(best, rejected: Array(ranked.dropFirst()))
        }
        var alternates: [(Source, AlternateOffer)] = sofAnswer.offer.alternates.map { (.internal, $0) }
        for candidate in external { alternates += candidate.offer.alternates.map { (candidate.source, $0) } }
        let reasons =
            ([sofAnswer.offer.confidenceReason] + external.map { "\($0.source): \($0.offer.confidenceReason)" })
        return .unsourced(reason: reasons.joined(separator: "; "), alternates: alternates)
    }
}

/// The SCO's decision for one element.
public enum ChainDecision: Sendable {
    case sourced(Candidate, rejected: [Candidate])
    case unsourced(reason: String, alternates: [(Source, AlternateOffer)])
}
