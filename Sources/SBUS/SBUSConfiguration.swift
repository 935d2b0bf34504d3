import Ledger
import Sonata
import SupplyChain

/// The sell side's commercial and timing terms.
public struct SBUSConfiguration: Sendable, Hashable {
    /// Markup on cost in basis points (1,000 = 10 %).
    public let markupBasisPoints: Int64
    /// Contractual discounts per buyer in basis points (PDL-015).
    public let discountBasisPoints: [PartyID: Int64]
    /// How long a quote stays valid (PDL-018).
    public let quoteValidity: TimeSpan
    /// Time this provider needs between the sellers' deadline and its own: sellers get the buyer's window minus it.
    public let processingTime: TimeSpan
    /// Seller Contact Information put on answers (MEF79-R38).
    public let sellerContact: RelatedContactInformation
    /// How long a resolved ticket waits for the buyer's close before it closes on its own (after-delivery.md
    /// decision 5).
    public let ticketCloseAfter: TimeSpan

    public init(
        markupBasisPoints: Int64, discountBasisPoints: [PartyID: Int64] = [:], quoteValidity: TimeSpan = .days(30),
        processingTime: TimeSpan = .seconds(1), sellerContact: RelatedContactInformation,
        ticketCloseAfter: TimeSpan = .days(3)
    ) {
        self.ticketCloseAfter = ticketCloseAfter
        self.markupBasisPoints = markupBasisPoints
        self.discountBasisPoints = discountBasisPoints
        self.quoteValidity = quoteValidity
        self.processingTime = processingTime
        self.sellerContact = sellerContact
    }
}
