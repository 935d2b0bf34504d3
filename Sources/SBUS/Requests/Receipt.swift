import Sonata
import SupplyChain

/// A buyer's request the S-BUS received and admitted, until it is answered.
struct Receipt: Sendable {
    let request: SupplyRequest
    let poq: ProductOfferingQualificationCreate
    /// This provider's own id for the request (PDL-007).
    let sellerReference: String
    /// Answered ACKNOWLEDGED first, the final answer later (with notifications to a registered buyer).
    let deferred: Bool
    /// The items the SCO's business validation passed, now IN_PROGRESS; `nil` until it has run.
    var itemsInProgress: [String]?
    /// Whether every item passed it, so the POQ itself is IN_PROGRESS.
    var inProgress = false
}
