import Ledger
import SupplyChain

/// A seller not asked, and why.
public struct SkippedSeller: Sendable, Hashable {
    public let seller: PartyID
    public let reason: SellerExclusion

    public init(seller: PartyID, reason: SellerExclusion) {
        self.seller = seller
        self.reason = reason
    }
}
