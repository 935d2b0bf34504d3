import Ledger
import Sonata
import SupplyChain

/// The SCO's decision for one element.
public enum ChainDecision: Sendable {
    case sourced(Candidate, rejected: [Candidate])
    case unsourced(reason: String, alternates: [SourcedAlternate])
}
