import Ledger
import SupplyChain

/// What the SCO needs to know of its provider.
public struct SCOConfiguration: Sendable {
    public let party: PartyID
    /// Time this provider keeps for itself out of every window it passes down.
    public let processingTime: TimeSpan
    /// How the answers for one element are ranked (PDL-013).
    public let ranking: RankingPolicy
    /// Injected fault: the end-to-end test of every service chain fails whatever the evidence (PDL-048).
    public let chainTestFails: Bool
    /// The shortest time between two publications of the SLA reputation on the omni-lateral ledger: the first
    /// report publishes at once, later ones at most this often (default a day).
    public let reputationPublication: TimeSpan

    public init(
        party: PartyID, processingTime: TimeSpan, ranking: RankingPolicy = .default, chainTestFails: Bool = false,
        reputationPublication: TimeSpan = .days(1)
    ) {
        self.party = party
        self.reputationPublication = reputationPublication
        self.processingTime = processingTime
        self.ranking = ranking
        self.chainTestFails = chainTestFails
    }

    /// The counterparty on the internal (INT) ledger, where the SCO records what its SOF says and does (PDL-010).
    public var sofParty: PartyID { party.sofParty }
}
