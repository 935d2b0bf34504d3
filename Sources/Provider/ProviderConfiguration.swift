import BBUS
import Ledger
import SBUS
import SCO
import Sonata
import SupplyChain

/// Everything that makes one provider: its identity, its terms as a seller, its catalog and its sellers.
public struct ProviderConfiguration: Sendable {
    public let party: PartyID
    public let sbus: SBUSConfiguration
    public let catalog: [CatalogEntry]
    public let bbus: BBUSConfiguration
    public let ranking: RankingPolicy
    /// Injected fault: the SCO's end-to-end test of every service chain it builds fails (PDL-048).
    public let chainTestFails: Bool
    /// The shortest time between two publications of the SLA reputation on the omni-lateral ledger.
    public let reputationPublication: TimeSpan

    public init(
        party: PartyID, sbus: SBUSConfiguration, catalog: [CatalogEntry], bbus: BBUSConfiguration,
        ranking: RankingPolicy = .default, chainTestFails: Bool = false, reputationPublication: TimeSpan = .days(1)
    ) {
        self.reputationPublication = reputationPublication
        self.party = party
        self.sbus = sbus
        self.catalog = catalog
        self.bbus = bbus
        self.ranking = ranking
        self.chainTestFails = chainTestFails
    }

    /// The party id of this provider's SOF: the counterparty on its internal (INT) ledger, where the SCO records
    /// every SOF answer (PDL-010).
    public var sofParty: PartyID { ProviderConfiguration.sofParty(of: party) }

    public static func sofParty(of party: PartyID) -> PartyID { party.sofParty }
}
