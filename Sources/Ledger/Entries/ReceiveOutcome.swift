/// What the receiving copy did with a counterparty's proposed entry: a business outcome, not an error.
public enum ReceiveOutcome: Sendable, Hashable {
    /// Verified, countersigned and stored; send this entry back to the author to commit.
    case countersigned(LedgerEntry)
    /// The entry does not sit on this copy's head (both parties appended at once, or the sender is behind or
    /// ahead): here is the receiver's head; the sender syncs and rebases its entry.
    case conflict(head: LedgerHead)
    /// The same entry was already stored (a repeated delivery); the stored, countersigned entry is returned.
    case alreadyStored(LedgerEntry)
}
