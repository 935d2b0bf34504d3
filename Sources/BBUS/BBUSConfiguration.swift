import Ledger
import Sonata
import SupplyChain

/// The buy side: who this provider buys from and how it asks them.
public struct BBUSConfiguration: Sendable, Hashable {
    /// Sellers this provider has a commercial relationship with, in preference order.
    public let sellers: [PartyID]
    /// One-way latency to each seller, as measured or configured; a seller that cannot answer within the
    /// window (twice this latency) is not asked.
    public let latency: [PartyID: TimeSpan]
    /// The offerings bought from each seller, where the relationship is limited to some; absent means all.
    public let offerings: [PartyID: Set<String>]
    /// The contact put on requests this provider sends as a buyer (MEF79-R9).
    public let buyerContact: RelatedContactInformation
    /// Sellers whose SLA reputation (as this provider computes it) is below this, in thousandths (7,000 = 7.0),
    /// are not asked.
    public var minimumReputation: Int64?

    public init(
        sellers: [PartyID], latency: [PartyID: TimeSpan] = [:], offerings: [PartyID: Set<String>] = [:],
        buyerContact: RelatedContactInformation, minimumReputation: Int64? = nil
    ) {
        self.minimumReputation = minimumReputation
        self.sellers = sellers
        self.latency = latency
        self.offerings = offerings
        self.buyerContact = buyerContact
    }
}
