import Crypto
import Foundation

/// A neighbour's answer to an entry of a provider's omni-lateral ledger: its countersignature, or its signed
/// refusal with the reason (LEDGER.md §13).
///
/// An endorsement is an Ed25519 signature over the 32 raw bytes of the entry hash — the same message as a
/// bilateral countersignature. A refusal signs SHA-256 of `"scbroker-omni-refusal-v1\n<entry hash>\n<reason>"`,
/// so that a publisher can neither forge a refusal nor turn one into an endorsement.
public struct OmniVerdict: Codable, Sendable, Hashable {
    /// The entry answered.
    public let seq: UInt64
    public let entryHash: String
    /// Who answered, and the public key it signed with (raw 32 bytes).
    public let party: PartyID
    public let publicKey: Data
    /// nil for an endorsement; the neighbour's reason for a refusal.
    public let refusal: String?
    public let signature: Data

    public init(
        seq: UInt64, entryHash: String, party: PartyID, publicKey: Data, refusal: String?, signature: Data
    ) {
        self.seq = seq
        self.entryHash = entryHash
        self.party = party
        self.publicKey = publicKey
        self.refusal = refusal
        self.signature = signature
    }

    /// `key`'s countersignature of `entry` (refusal nil) or its signed refusal.
    public static func sign(_ entry: LedgerEntry, by key: PartyKey, refusal: String?) throws -> OmniVerdict {
        let message = try Self.message(entryHash: entry.entryHash, refusal: refusal)
        return OmniVerdict(
            seq: entry.seq, entryHash: entry.entryHash, party: key.party, publicKey: key.publicKey,
            refusal: refusal, signature: try key.sign(message))
    }

    /// Whether the signature verifies under `publicKey` (or the recorded key when none is given).
    public func verifies(under publicKey: Data? = nil) -> Bool {
        guard let message = try? Self.message(entryHash: entryHash, refusal: refusal) else { return false }
        return Ed25519.verify(signature: signature, of: message, publicKey: publicKey ?? self.publicKey)
    }

    /// True for a countersignature.
    public var isEndorsement: Bool { refusal == nil }

    static func message(entryHash: String, refusal: String?) throws -> Data {
        guard Hex.isCanonical(entryHash, byteCount: 32), let hash = Data(hexString: entryHash) else {
            throw LedgerError(.invalidField, "entry hash \(entryHash) is not 64 lower-case hex digits")
        }
        guard let refusal else { return hash }
        return Data(SHA256.hash(data: Data("scbroker-omni-refusal-v1\n\(entryHash)\n\(refusal)".utf8)))
    }
}
