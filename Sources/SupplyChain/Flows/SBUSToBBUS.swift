import Ledger

/// What the S-BUS tells the B-BUS: an invoice it issued became final with a buyer that is also a seller of this
/// provider, so the B-BUS can net what it owes that party against it (PDL-110).
public enum SBUSToBBUS: Sendable {
    /// Invoice `invoiceID` to `buyer` for `cycle` is final at `amount`.
    case receivableFinal(buyer: PartyID, invoiceID: String, cycle: Int, amount: Money)
}
