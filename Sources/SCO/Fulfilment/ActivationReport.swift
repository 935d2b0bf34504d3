import CanonicalJSON
import Ledger
import SupplyChain

/// What the party that activated an element reported: its service id, and its evidence when it gave one.
struct ActivationReport: Equatable, Sendable {
    let serviceID: String
    let evidence: ActivationEvidence?
}
