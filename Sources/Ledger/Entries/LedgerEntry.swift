import CanonicalJSON
import Crypto
import Foundation

/// One entry of a bilateral ledger: what one party recorded, chained to the previous entry, signed by its
/// author and, once agreed, countersigned by the other party (its receipt).
///
/// `entryHash` covers every field but the signatures (see `EntryEncoding` and LEDGER.md); both signatures are
/// Ed25519 over the 32 raw bytes of the entry hash. An entry whose `counterSignature` is `nil` is pending.
public struct LedgerEntry: Codable, Sendable, Hashable {
    /// The ledger this entry belongs to.
    public let ledgerID: LedgerID
    /// Position in the chain, starting at 1.
    public let seq: UInt64
    /// Hex entry hash of entry `seq - 1`; 64 zeros (`genesisPrevHash`) for seq 1.
    public let prevHash: String
    /// Milliseconds since the Unix epoch, UTC; never earlier than the previous entry's time.
    public let time: Int64
    /// The party that wrote and signed the entry.
    public let author: PartyID
    /// What happened: `poq.request`, `poq.response`, `loop_list`, `order.accepted`, `invoice`, ...
    public let kind: String
    /// Correlation ids by name: `poq`, `quote`, `order`, `service`, `element`, `ticket`, `invoice`, `inquiry`.
    public let refs: [String: String]
    /// The payload; stored and hashed as RFC 8785 canonical JSON.
    public let body: JSONValue
    /// Lower-case hex SHA-256 of the entry encoding.
    public let entryHash: String
    /// The author's Ed25519 signature over the 32 bytes of `entryHash`.
    public var authorSignature: Data
    /// The counterparty's Ed25519 signature over the same bytes; `nil` while the entry is pending.
    public var counterSignature: Data?
    /// RFC 8785 bytes of `body` and `refs`, computed once when the entry is made or decoded (they are what the
    /// hash covers and what a store writes), so the append path canonicalises each body only once.
    let bodyJSON: Data
    let refsJSON: Data

    private enum CodingKeys: String, CodingKey {
        case ledgerID, seq, prevHash, time, author, kind, refs, body, entryHash, authorSignature, counterSignature
    }

    /// The `prevHash` of the first entry: 64 zeros.
    public static let genesisPrevHash = String(repeating: "0", count: 64)

    /// An entry with every field given, as read back from a store or decoded from the wire.
    public init(
        ledgerID: LedgerID, seq: UInt64, prevHash: String, time: Int64, author: PartyID, kind: String,
        refs: [String: String], body: JSONValue, entryHash: String, authorSignature: Data, counterSignature: Data?
    ) {
        self.init(
            ledgerID: ledgerID, seq: seq, prevHash: prevHash, time: time, author: author, kind: kind, refs: refs,
            body: body, entryHash: entryHash, authorSignature: authorSignature, counterSignature: counterSignature,
            bodyJSON: body.canonicalData, refsJSON: EntryEncoding.refsJSON(refs))
    }

    private init(
        ledgerID: LedgerID, seq: UInt64, prevHash: String, time: Int64, author: PartyID, kind: String,
        refs: [String: String], body: JSONValue, entryHash: String, authorSignature: Data, counterSignature: Data?,
        bodyJSON: Data, refsJSON: Data
    ) {
        self.ledgerID = ledgerID
        self.seq = seq
        self.prevHash = prevHash
        self.time = time
        self.author = author
        self.kind = kind
        self.refs = refs
        self.body = body
        self.entryHash = entryHash
        self.authorSignature = authorSignature
        self.counterSignature = counterSignature
        self.bodyJSON = bodyJSON
        self.refsJSON = refsJSON
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            ledgerID: try container.decode(LedgerID.self, forKey: .ledgerID),
            seq: try container.decode(UInt64.self, forKey: .seq),
            prevHash: try container.decode(String.self, forKey: .prevHash),
            time: try container.decode(Int64.self, forKey: .time),
            author: try container.decode(PartyID.self, forKey: .author),
            kind: try container.decode(String.self, forKey: .kind),
            refs: try container.decode([String: String].self, forKey: .refs),
            body: try container.decode(JSONValue.self, forKey: .body),
            entryHash: try container.decode(String.self, forKey: .entryHash),
            authorSignature: try container.decode(Data.self, forKey: .authorSignature),
            counterSignature: try container.decodeIfPresent(Data.self, forKey: .counterSignature))
    }

    /// A new entry signed by `author`, its hash computed from the fields.
    /// - Throws: `LedgerError(.invalidField)` when `kind` or a ref name could break the encoding.
    public static func signed(
        by author: PartyKey, ledgerID: LedgerID, seq: UInt64, prevHash: String, time: Int64, kind: String,
        refs: [String: String], body: JSONValue
    ) throws -> LedgerEntry {
        var (entry, hash) = try hashed(
            by: author.party, ledgerID: ledgerID, seq: seq, prevHash: prevHash, time: time, kind: kind, refs: refs,
            body: body)
        entry.authorSignature = try author.sign(hash)
        return entry
    }

    /// A new entry by `author` with its hash computed from the fields and its author signature still empty, and
    /// the 32 bytes to sign: a batch hashes its entries in chain order, then signs them on every core.
    /// - Throws: `LedgerError(.invalidField)` when `kind` or a ref name could break the encoding.
    static func hashed(
        by author: PartyID, ledgerID: LedgerID, seq: UInt64, prevHash: String, time: Int64, kind: String,
        refs: [String: String], body: JSONValue
    ) throws -> (entry: LedgerEntry, hash: Data) {
        try EntryEncoding.validate(kind: kind)
        let bodyJSON = body.canonicalData
        let refsJSON = EntryEncoding.refsJSON(refs)
        let hash = EntryEncoding.hash(
            ledgerID: ledgerID.rawValue, seq: seq, prevHash: prevHash, time: time, author: author.rawValue,
            kind: kind, refsJSON: refsJSON, bodyJSON: bodyJSON)
        let entry = LedgerEntry(
            ledgerID: ledgerID, seq: seq, prevHash: prevHash, time: time, author: author, kind: kind,
            refs: refs, body: body, entryHash: Hex.encode(hash), authorSignature: Data(), counterSignature: nil,
            bodyJSON: bodyJSON, refsJSON: refsJSON)
        return (entry, hash)
    }

    /// The hash recomputed from the fields (raw 32 bytes); equals `entryHashBytes` for an intact entry.
    public func computeHash() -> Data {
        EntryEncoding.hash(
            ledgerID: ledgerID.rawValue, seq: seq, prevHash: prevHash, time: time, author: author.rawValue,
            kind: kind, refsJSON: refsJSON, bodyJSON: bodyJSON)
    }

    /// The 32 raw bytes of `entryHash` (what both signatures sign), or `nil` when it is not 64 hex digits.
    public var entryHashBytes: Data? {
        guard Hex.isCanonical(entryHash, byteCount: 32) else { return nil }
        return Data(hexString: entryHash)
    }

    /// True once the counterparty has countersigned.
    public var isAgreed: Bool { counterSignature != nil }
}
