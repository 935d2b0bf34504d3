import Ledger
import SupplyChain

/// Carrying trouble tickets, faults, outages and terminations between nodes.
extension ProviderNode {
    func transmitTicket(_ notice: TicketNotice, to: PartyID, replaying: Bool) {
        if replaying { return }
        logger.warning("ticket transport between live nodes is not built yet", metadata: ["to": "\(to)"])
    }
}
