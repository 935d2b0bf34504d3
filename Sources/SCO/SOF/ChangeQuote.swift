import SupplyChain

/// What a change to an active element costs and whether it needs an outage (PDL-117).
public struct ChangeQuote: Sendable, Hashable {
    public let possible: Bool
    public let fee: Money
    public let outage: TimeSpan
    public let detail: String

    public init(possible: Bool, fee: Money, outage: TimeSpan, detail: String) {
        self.possible = possible
        self.fee = fee
        self.outage = outage
        self.detail = detail
    }
}
