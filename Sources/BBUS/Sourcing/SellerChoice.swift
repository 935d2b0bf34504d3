import Ledger
import SupplyChain

/// The sellers the B-BUS asks for one element, and those it skips with the reason (PDL-004, PDL-011).
public struct SellerChoice: Sendable, Hashable {
    public var eligible: [PartyID] = []
    public var skipped: [SkippedSeller] = []

    public init() {}
}

/// A seller not asked, and why.
public struct SkippedSeller: Sendable, Hashable {
    public let seller: PartyID
    public let reason: SellerExclusion

    public init(seller: PartyID, reason: SellerExclusion) {
        self.seller = seller
        self.reason = reason
    }
}

/// Why the B-BUS does not ask a seller for an element.
public enum SellerExclusion: Sendable, Hashable, CustomStringConvertible {
    /// The seller's digest is on the request's loop-prevention list (PDL-004).
    case onLoopPreventionList
    /// The relationship with this seller does not cover the offering.
    case offeringNotBought(String)
    /// The seller could not answer before the deadline, given the link's round trip.
    case beyondResponseWindow(window: TimeSpan, roundTrip: TimeSpan)

    public var description: String {
        switch self {
        case .onLoopPreventionList: "on the loop-prevention list"
        case .offeringNotBought(let offering): "not a seller of \(offering) to this provider"
        case .beyondResponseWindow(let window, let roundTrip):
            "cannot answer within the \(window) window (round trip \(roundTrip))"
        }
    }
}
