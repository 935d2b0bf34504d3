import Ledger

/// How a ledger copy reaches its counterparty's copy: propose an entry, fetch agreed entries.
///
/// The HTTP implementation is `NodeClient`; tests may use another.
public protocol LedgerTransport: Sendable {
    /// Sends an author-signed entry to the counterparty's copy.
    func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome
    /// The counterparty's agreed entries of `ledger` with `seq >= from`.
    func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry]
}

/// What the counterparty's copy answered to a proposal.
public enum ProposalOutcome: Sendable {
    case countersigned(LedgerEntry)
    case conflict(LedgerHead)
}
