import Crypto
import Foundation

/// One party's Ed25519 signing identity (RFC 8032), through swift-crypto's `Curve25519.Signing`.
///
/// On Linux swift-crypto signs with BoringSSL, which is deterministic: the same key and message always give the
/// same signature, so simulation runs are reproducible byte for byte (the RFC 8032 vectors in the tests prove it).
/// The private key never leaves this value except through `privateKeyRaw`, which only the key file writer uses.
/// `@unchecked Sendable`: swift-crypto's key type is an immutable value not yet marked `Sendable`.
public struct PartyKey: @unchecked Sendable {
    /// Whose key this is.
    public let party: PartyID
    let signingKey: Curve25519.Signing.PrivateKey

    /// A fresh random key.
    public init(party: PartyID) {
        self.party = party
        self.signingKey = Curve25519.Signing.PrivateKey()
    }

    /// A deterministic key from a 32-byte seed (RFC 8032 "secret key"), for simulations and tests.
    public init(party: PartyID, seed: some DataProtocol) throws {
        try self.init(party: party, privateKeyRaw: Data(seed))
    }

    /// A key from its 32 raw private bytes (the RFC 8032 secret key, as a key file stores it).
    public init(party: PartyID, privateKeyRaw: Data) throws {
        guard privateKeyRaw.count == 32 else {
            throw LedgerError(.invalidKey, "an Ed25519 private key is 32 bytes, got \(privateKeyRaw.count)")
        }
        do {
            self.signingKey = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeyRaw)
        } catch {
            throw LedgerError(.invalidKey, "not an Ed25519 private key: \(error)")
        }
        self.party = party
    }

    /// The 32 raw bytes of the public key.
    public var publicKey: Data { signingKey.publicKey.rawRepresentation }

    /// The 32 raw bytes of the private key; only for writing a key file. Never log or print it.
    public var privateKeyRaw: Data { signingKey.rawRepresentation }

    /// The 64-byte Ed25519 signature of `message`.
    public func sign(_ message: some DataProtocol) throws -> Data {
        try signingKey.signature(for: message)
    }
}

/// Ed25519 verification with raw 32-byte public keys.
public enum Ed25519 {
    /// True when `signature` is a valid Ed25519 signature of `message` under the raw `publicKey`.
    public static func verify(signature: Data, of message: some DataProtocol, publicKey: Data) -> Bool {
        guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return false
        }
        return key.isValidSignature(signature, for: message)
    }

    /// A parsed public key, for verifying many signatures with one key without re-parsing it.
    static func publicKey(_ raw: Data) -> Curve25519.Signing.PublicKey? {
        try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }
}
