import Foundation

/// A C2SP signed-note verifier key, `<name>+<key hash, 8 hex>+<base64(0x01 ‖ 32-byte Ed25519 key)>`: how a
/// witness's public key is written down for nodes and auditors (`broker witness` prints it at start).
///
/// The name is the one on the witness's cosignature lines; it has no `+` and no white space (a `PartyID`).
public struct VerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The signer's name on the note.
    public let name: PartyID
    /// The raw 32-byte Ed25519 public key.
    public let publicKey: Data

    /// A verifier key for `name` and a raw 32-byte Ed25519 `publicKey`.
    public init(name: PartyID, publicKey: Data) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses the text form; the key hash must be the one the name and key give.
    /// - Throws: `LedgerError(.invalidKey)` saying which part is wrong.
    public init(parsing text: String) throws {
        // A name has no `+` and the key hash is hex, so the third field is the rest: base64 may hold `+` itself.
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else {
            throw LedgerError(.invalidKey, "a verifier key is \"name+keyhash+base64key\", got \"\(text)\"")
        }
        let name = PartyID(String(fields[0]))
        guard name.isValid else { throw LedgerError(.invalidKey, "verifier key name \"\(name)\" is not valid") }
        guard let blob = Data(base64Encoded: String(fields[2])), blob.count == 33, blob.first == 0x01 else {
            throw LedgerError(.invalidKey, "verifier key is not base64 of 0x01 followed by a 32-byte Ed25519 key")
        }
        let key = Data(blob.dropFirst())
        guard Hex.decode(fields[1]) == Checkpoint.keyHash(name: name.rawValue, publicKey: key) else {
            throw LedgerError(.invalidKey, "verifier key hash \(fields[1]) does not match its name and key")
        }
        self.init(name: name, publicKey: key)
    }

    /// The text form.
    public var description: String {
        let hash = Checkpoint.keyHash(name: name.rawValue, publicKey: publicKey).hexString
        return "\(name.rawValue)+\(hash)+\((Data([0x01]) + publicKey).base64EncodedString())"
    }

    /// The verifier key of a signing key.
    public init(_ key: PartyKey) {
        self.init(name: key.party, publicKey: key.publicKey)
    }
}
