import Ledger

extension PartyID {
    /// What a provider's id is followed by in its SOF's party id.
    public static let sofSuffix = "#sof"

    /// The party id of this provider's SOF: the counterparty on its internal (INT) ledger (PDL-010).
    public var sofParty: PartyID { PartyID(rawValue: rawValue + Self.sofSuffix) }
}
