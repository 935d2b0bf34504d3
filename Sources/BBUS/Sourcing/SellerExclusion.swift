import Ledger
import SupplyChain

/// Why the B-BUS does not ask a seller for an element.
public enum SellerExclusion: Sendable, Hashable, CustomStringConvertible {
    /// The seller's digest is on the request's loop-prevention list (PDL-004).
    case onLoopPreventionList
    /// The relationship with this seller does not cover the offering.
    case offeringNotBought(String)
    /// The seller could not answer before the deadline, given the link's round trip.
    case beyondResponseWindow(window: TimeSpan, roundTrip: TimeSpan)
    /// The seller's SLA reputation, as this provider computes it, is below the minimum (in thousandths).
    case belowMinimumReputation(score: String, minimum: Int64)

    public var description: String {
        switch self {
        case .onLoopPreventionList: "on the loop-prevention list"
        case .offeringNotBought(let offering): "not a seller of \(offering) to this provider"
        case .beyondResponseWindow(let window, let roundTrip):
            "cannot answer within the \(window) window (round trip \(roundTrip))"
        case .belowMinimumReputation(let score, let minimum):
            "SLA reputation \(score) is below the minimum \(minimum / 1_000).\(minimum % 1_000 / 100)"
        }
    }
}
