import Foundation

/// What a ledger copy records about itself: the two parties, their public keys and the genesis nonce.
///
/// `partyA` is always the party that sorts first (byte-wise), so both copies hold an identical header.
public struct LedgerHeader: Codable, Sendable, Hashable {
    public let ledgerID: LedgerID
    public let partyA: PartyID
    public let partyB: PartyID
    /// Raw 32-byte Ed25519 public key of `partyA`.
    public let publicKeyA: Data
    /// Raw 32-byte Ed25519 public key of `partyB`.
    public let publicKeyB: Data
    public let genesisNonce: Data
    /// Milliseconds since the Unix epoch when the ledger was opened; informative, not hashed.
    public let created: Int64

    /// A header for the ledger between `first` and `second`; orders the parties and derives the id.
    /// - Throws: `LedgerError(.invalidPartyID)` for an invalid or repeated party, `.invalidKey` for a key that
    ///   is not 32 bytes.
    public init(
        _ first: PartyID, publicKey firstKey: Data, _ second: PartyID, publicKey secondKey: Data,
        genesisNonce: Data, created: Int64 = 0
    ) throws {
        _ = try first.validated()
        _ = try second.validated()
        guard first != second else { throw LedgerError(.invalidPartyID, "a ledger needs two distinct parties") }
        guard firstKey.count == 32, secondKey.count == 32 else {
            throw LedgerError(.invalidKey, "Ed25519 public keys are 32 bytes")
        }
        if first < second {
            (partyA, publicKeyA, partyB, publicKeyB) = (first, firstKey, second, secondKey)
        } else {
            (partyA, publicKeyA, partyB, publicKeyB) = (second, secondKey, first, firstKey)
        }
        self.genesisNonce = genesisNonce
        self.created = created
        self.ledgerID = LedgerID.derive(between: first, and: second, genesisNonce: genesisNonce)
    }

    /// A header exactly as stored (used when reading a store back; the id is not re-derived).
    public init(
        ledgerID: LedgerID, partyA: PartyID, partyB: PartyID, publicKeyA: Data, publicKeyB: Data,
        genesisNonce: Data, created: Int64
    ) {
        self.ledgerID = ledgerID
        self.partyA = partyA
        self.partyB = partyB
        self.publicKeyA = publicKeyA
        self.publicKeyB = publicKeyB
        self.genesisNonce = genesisNonce
        self.created = created
    }

    /// The two parties, A first.
    public var parties: [PartyID] { [partyA, partyB] }

    /// The public key of `party`, or `nil` when it is not a party to this ledger.
    public func publicKey(of party: PartyID) -> Data? {
        party == partyA ? publicKeyA : party == partyB ? publicKeyB : nil
    }

    /// The other party, or `nil` when `party` is not a party to this ledger.
    public func counterparty(of party: PartyID) -> PartyID? {
        party == partyA ? partyB : party == partyB ? partyA : nil
    }
}

/// The last agreed entry of a copy: its sequence number and hash (seq 0 and 64 zeros for an empty ledger).
public struct LedgerHead: Codable, Sendable, Hashable, CustomStringConvertible {
    public let seq: UInt64
    public let hash: String

    public init(seq: UInt64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The head of an empty ledger.
    public static let genesis = LedgerHead(seq: 0, hash: LedgerEntry.genesisPrevHash)

    public var description: String { "\(seq):\(hash)" }
}
