import Ledger
import SupplyChain

/// The sellers the B-BUS asks for one element, and those it skips with the reason (PDL-004, PDL-011).
public struct SellerChoice: Sendable, Hashable {
    public var eligible: [PartyID] = []
    public var skipped: [SkippedSeller] = []

    public init() {}
}
