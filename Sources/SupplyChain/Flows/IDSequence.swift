import Ledger

/// The ids one provider gives its quotes, orders, requests and services (`P-order-3`): one sequence shared by its
/// roles, so that ids are unique within the provider and come out in the order the flows run.
public struct IDSequence: Sendable {
    public let party: PartyID
    private var sequence = 0

    public init(party: PartyID) { self.party = party }

    /// How many ids were handed out: what a driver restoring a provider from its journal raises it back to.
    public var counter: Int { sequence }

    /// Raises the counter to at least `value` (never lowers it), so no id is ever handed out twice.
    public mutating func raise(to value: Int) { sequence = max(sequence, value) }

    /// The next id for `kind`.
    public mutating func next(_ kind: String) -> String {
        sequence += 1
        return "\(party.rawValue)-\(kind)-\(sequence)"
    }
}
