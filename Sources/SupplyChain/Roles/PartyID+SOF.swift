import Ledger

extension PartyID {
    /// The party id of this provider's SOF: the counterparty on its internal (INT) ledger (PDL-010).
    public var sofParty: PartyID { PartyID(rawValue: rawValue + "#sof") }
}
