import Ledger
import SupplyChain

/// A change to an active service being quoted and carried out along the chain (PDL-116..PDL-119).
struct ChangeProcess: Sendable {
    /// How far the change got.
    enum Progress: Equatable, Sendable {
        /// Waiting for the sellers' prices and outages.
        case quoting
        /// Quoted to the buyer; this provider's own part (and outage) under way.
        case carryingOut
        /// This provider's part is done; waiting for the sellers' parts.
        case ownPartDone
    }

    let key: OrderKey
    let reference: String
    let serviceID: String
    let change: ServiceChange
    /// Elements whose seller has yet to quote its part / to complete it.
    var awaitingQuote: Set<String>
    var awaitingDone: Set<String>
    var fee: Money
    var outage: TimeSpan
    var progress: Progress
}
