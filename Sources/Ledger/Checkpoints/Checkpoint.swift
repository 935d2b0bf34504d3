import Crypto
import Foundation

/// A checkpoint of one ledger in the C2SP tlog-checkpoint format, as a C2SP signed note co-signed by both parties.
///
///     scbroker/<ledger id>\n          origin
///     <tree size, decimal>\n
///     <base64 of the 32-byte RFC 6962 root>\n
///     time <milliseconds>\n           optional extension line
///     \n
///     — <party id> <base64(4-byte key hash ‖ 64-byte Ed25519 signature)>\n   one line per signer
///
/// The signature covers the note text (every line before the blank line, each with its newline). The key hash is
/// the first 4 bytes of `SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)`, the C2SP signed-note Ed25519 key id.
public struct Checkpoint: Sendable, Hashable {
    /// One signature line of the note.
    public struct Signature: Sendable, Hashable {
        /// The signer's name: a party id.
        public let name: String
        /// The C2SP key hash: 4 bytes.
        public let keyHash: Data
        /// The 64-byte Ed25519 signature of the note text.
        public let signature: Data
    }

    /// The origin line: `scbroker/<ledger id>` for the product's ledgers.
    public let origin: String
    /// Number of entries covered.
    public let size: UInt64
    /// The RFC 6962 root of the first `size` entries.
    public let root: Data
    /// Extension lines after the root (the product writes `time <ms>`).
    public let extensions: [String]
    /// Signatures, in the order they appear.
    public private(set) var signatures: [Signature]

    /// The prefix of origin lines the product writes.
    public static let originPrefix = "scbroker/"

    /// The checkpoint cadence (LEDGER.md §5): a ledger's copies get a co-signed checkpoint each time its size
    /// reaches a multiple of this many agreed entries, and every ledger of a simulated run one more at its end.
    public static let interval: UInt64 = 256

    /// An unsigned checkpoint of a ledger at `size` with `root`, stamped with `time` (ms).
    public init(ledgerID: LedgerID, size: UInt64, root: Data, time: Int64?) {
        self.init(
            origin: Self.originPrefix + ledgerID.rawValue, size: size, root: root,
            extensions: time.map { ["time \($0)"] } ?? [], signatures: [])
    }

    init(origin: String, size: UInt64, root: Data, extensions: [String], signatures: [Signature]) {
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
        self.signatures = signatures
    }

    /// The ledger id named in the origin line, or `nil` when the origin is not `scbroker/<64 hex>`.
    public var ledgerID: LedgerID? {
        guard origin.hasPrefix(Self.originPrefix) else { return nil }
        let id = LedgerID(rawValue: String(origin.dropFirst(Self.originPrefix.count)))
        return id.isWellFormed ? id : nil
    }

    /// The `time` extension, if present.
    public var time: Int64? {
        extensions.lazy.compactMap { $0.hasPrefix("time ") ? Int64($0.dropFirst(5)) : nil }.first
    }

    /// The signed text: origin, size, root and extension lines, each ending in a newline.
    public var noteText: String {
        ([origin, String(size), root.base64EncodedString()] + extensions).map { $0 + "\n" }.joined()
    }

    /// The whole signed note.
    public var text: String {
        noteText + "\n"
            + signatures.map { "— \($0.name) \(($0.keyHash + $0.signature).base64EncodedString())\n" }.joined()
    }

    /// The C2SP signed-note key hash of an Ed25519 key: first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key).
    public static func keyHash(name: String, publicKey: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: Data(name.utf8))
        hasher.update(data: [0x0a, 0x01])
        hasher.update(data: publicKey)
        return Data(hasher.finalize().prefix(4))
    }

    /// Adds `key`'s signature (replacing an earlier one by the same name).
    public mutating func sign(with key: PartyKey) throws {
        let signature = try key.sign(Data(noteText.utf8))
        signatures.removeAll { $0.name == key.party.rawValue }
        signatures.append(
            Signature(
                name: key.party.rawValue, keyHash: Self.keyHash(name: key.party.rawValue, publicKey: key.publicKey),
                signature: signature))
    }

    /// The same note with only the signature lines `keep` accepts (a node drops lines by signers it does not know).
    public func keepingSignatures(where keep: (Signature) -> Bool) -> Checkpoint {
        Checkpoint(origin: origin, size: size, root: root, extensions: extensions, signatures: signatures.filter(keep))
    }

    /// Whether `party`'s signature is on the note and valid under `publicKey`.
    public enum SignatureStatus: String, Sendable, Hashable {
        case valid, invalid, missing
    }

    /// Checks `party`'s signature: `.missing` when no line has its name and key hash, `.invalid` when one has
    /// but does not verify.
    public func signatureStatus(of party: PartyID, publicKey: Data) -> SignatureStatus {
        let keyHash = Self.keyHash(name: party.rawValue, publicKey: publicKey)
        let lines = signatures.filter { $0.name == party.rawValue && $0.keyHash == keyHash }
        guard !lines.isEmpty else {
            return signatures.contains { $0.name == party.rawValue } ? .invalid : .missing
        }
        let message = Data(noteText.utf8)
        return lines.contains { Ed25519.verify(signature: $0.signature, of: message, publicKey: publicKey) }
            ? .valid : .invalid
    }

    /// Parses a signed note holding a checkpoint.
    /// - Throws: `LedgerError(.malformedCheckpoint)` saying what is wrong.
    public static func parse(_ text: String) throws -> Checkpoint {
        func fail(_ why: String) -> LedgerError { LedgerError(.malformedCheckpoint, why) }
        guard text.hasSuffix("\n") else { throw fail("a signed note ends with a newline") }
        guard let separator = text.range(of: "\n\n") else { throw fail("no blank line before the signatures") }
        let body = text[..<separator.lowerBound]
        let signatureBlock = text[separator.upperBound...].dropLast()
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { throw fail("a checkpoint has an origin, a size and a root line") }
        guard !lines[0].isEmpty else { throw fail("empty origin line") }
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ (48...57).contains($0) }),
            sizeText == "0" || !sizeText.hasPrefix("0"), let size = UInt64(sizeText)
        else { throw fail("size line \"\(sizeText)\" is not a decimal number") }
        guard let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw fail("root line is not base64 of 32 bytes")
        }
        let extensions = Array(lines.dropFirst(3))
        guard extensions.allSatisfy({ !$0.isEmpty }) else { throw fail("empty extension line") }
        var signatures: [Signature] = []
        for line in signatureBlock.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("— ") else { throw fail("signature line does not start with \"— \"") }
            let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty, let blob = Data(base64Encoded: String(fields[1])),
                blob.count == 68
            else { throw fail("signature line is not \"— name base64(keyhash ‖ signature)\"") }
            signatures.append(
                Signature(name: String(fields[0]), keyHash: Data(blob.prefix(4)), signature: Data(blob.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw fail("a signed note has at least one signature") }
        return Checkpoint(origin: lines[0], size: size, root: root, extensions: extensions, signatures: signatures)
    }
}
