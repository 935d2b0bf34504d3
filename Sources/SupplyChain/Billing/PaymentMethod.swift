/// How an invoice is paid (PDL-101, PDL-107): fiat, stablecoin or crypto, as a descriptor the invoice and the
/// payment entries carry. MEF billing v2 has no stablecoin or crypto method (decision 12), hence this type.
public struct PaymentMethod: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case fiat, stablecoin, crypto
    }

    public let kind: Kind
    /// The currency or token paid: `EUR`, `USDC`, `BTC`.
    public let asset: String
    /// Where it is paid: a bank scheme (`SEPA`) or a chain (`ethereum`); nil when the contract does not say.
    public let network: String?

    public init(kind: Kind, asset: String, network: String?) {
        self.kind = kind
        self.asset = asset
        self.network = network
    }

    public var description: String { "\(kind.rawValue) \(asset)" + (network.map { " on \($0)" } ?? "") }
}
