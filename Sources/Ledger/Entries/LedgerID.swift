import Crypto
import Foundation

/// The identity of one bilateral ledger: lower-case hex SHA-256 binding both party ids and a genesis nonce.
///
/// Because every entry hash covers the ledger id, no entry or signature can be replayed into another ledger,
/// not even into a second ledger between the same two parties (it has another nonce).
public struct LedgerID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: LedgerID, rhs: LedgerID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The id of the ledger between two parties, whatever their order.
    ///
    /// SHA-256 of the UTF-8 text `"scbroker-ledger-v1\nparty-a:<lower>\nparty-b:<higher>\nnonce:<hex>\n"`,
    /// where `lower` sorts before `higher` byte-wise and `hex` is the nonce in lower-case hex.
    public static func derive(between first: PartyID, and second: PartyID, genesisNonce: Data) -> LedgerID {
        let (low, high) = first < second ? (first, second) : (second, first)
        let text =
            "scbroker-ledger-v1\nparty-a:\(low.rawValue)\nparty-b:\(high.rawValue)\nnonce:\(genesisNonce.hexString)\n"
        return LedgerID(rawValue: Hex.encode(SHA256.hash(data: Data(text.utf8))))
    }

    /// True when the id has the canonical form: 64 lower-case hex digits.
    public var isWellFormed: Bool { Hex.isCanonical(rawValue, byteCount: 32) }
}
