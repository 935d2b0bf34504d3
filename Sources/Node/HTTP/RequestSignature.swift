import Crypto
import Foundation
import Ledger

/// The request signature scheme between parties: Ed25519 over the receiving party (the audience), the method, path,
/// timestamp, nonce and SHA-256 of the body, sent in the `X-SCBroker-*` headers (README.md, "Security model").
///
/// Naming the audience means a request signed for one node is refused by every other node, even inside the
/// 30-second window.
public struct RequestSignature: Sendable, Hashable {
    public let keyID: PartyID
    /// The party the request is for.
    public let audience: PartyID
    public let timestamp: Int64
    public let nonce: String
    public let signature: Data

    public init(keyID: PartyID, audience: PartyID, timestamp: Int64, nonce: String, signature: Data) {
        self.keyID = keyID
        self.audience = audience
        self.timestamp = timestamp
        self.nonce = nonce
        self.signature = signature
    }

    /// The domain-separation tag on the first line of the signed text.
    public static let tag = "scbroker-request-v2"

    /// The bytes that are signed: one field per line, the body as its SHA-256 in hex.
    public static func message(
        audience: PartyID, method: String, path: String, timestamp: Int64, nonce: String, body: some DataProtocol
    )
        -> Data
    {
        let digest = Hex.encode(SHA256.hash(data: body))
        let lines = [tag, audience.rawValue, method.uppercased(), path, String(timestamp), nonce, digest]
        return Data(lines.joined(separator: "\n").utf8)
    }

    /// True when `nonce` has the form the scheme prescribes: 32 lower-case hex digits (16 random bytes).
    public static func isWellFormed(nonce: String) -> Bool {
        nonce.utf8.count == 32 && nonce.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Signs a request to `audience` (the party that will receive it) as `key.party`.
    public static func sign(
        audience: PartyID, method: String, path: String, body: some DataProtocol, key: PartyKey, now: Date = Date()
    ) throws -> RequestSignature {
        let timestamp = Int64((now.timeIntervalSince1970 * 1000).rounded())
        var generator = SystemRandomNumberGenerator()
        let nonce = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let signature = try key.sign(
            message(audience: audience, method: method, path: path, timestamp: timestamp, nonce: nonce, body: body))
        return RequestSignature(
            keyID: key.party, audience: audience, timestamp: timestamp, nonce: nonce, signature: signature)
    }

    /// The five header values, in `NodeHeaders` order: key id, audience, timestamp, nonce, signature.
    public var headerValues: [(String, String)] {
        [
            (NodeHeaders.keyID.rawName, keyID.rawValue), (NodeHeaders.audience.rawName, audience.rawValue),
            (NodeHeaders.timestamp.rawName, String(timestamp)),
            (NodeHeaders.nonce.rawName, nonce), (NodeHeaders.signature.rawName, signature.base64EncodedString()),
        ]
    }
}

/// Checks request signatures: addressed to this node, a known key, a fresh timestamp, a well-formed nonce, a valid
/// signature, never seen before.
///
/// Thread-safe; remembers every accepted signature for twice the allowed clock skew (in `SeenSignatures`, which
/// can keep them on disk so a restart does not forget them), so a replay inside the window is refused and one
/// outside it is refused as stale. Every number read from the headers is compared without arithmetic that could
/// overflow: a timestamp of `Int64.min` is stale, not a crash.
public final class RequestVerifier: @unchecked Sendable {
    /// Why a request was refused (every case is a 401).
    public enum Refusal: String, Sendable, Error {
        case unsigned = "the request is not signed (X-SCBroker-Key-Id, -Audience, -Timestamp, -Nonce, -Signature)"
        case unknownKey = "the signing party is unknown to this node"
        case wrongAudience = "the request is signed for another party (X-SCBroker-Audience)"
        case stale = "the request's timestamp is outside the allowed clock skew"
        case badNonce = "X-SCBroker-Nonce must be 32 lower-case hex digits"
        case badSignature = "the signature does not verify (for this node, this method, path, time, nonce and body)"
        case replayed = "this signed request was already received"
    }

    private let lock = NSLock()
    private let keys: [PartyID: Data]
    /// The parties this verifier accepts requests for: a signature names one of them or is refused.
    public let audiences: Set<PartyID>
    private let seen: SeenSignatures
    /// The allowed difference between the signer's clock and this node's, in milliseconds.
    public let maximumSkew: Int64

    /// - Parameters:
    ///   - keys: the public key of every party allowed to call.
    ///   - audiences: the parties requests must be addressed to (this node's party; a retail server's buyers).
    ///   - seen: where accepted signatures are remembered (in memory unless given).
    public init(
        keys: [PartyID: Data], audiences: Set<PartyID>, maximumSkew: Int64 = 30_000,
        seen: SeenSignatures = SeenSignatures()
    ) {
        self.keys = keys
        self.audiences = audiences
        self.maximumSkew = maximumSkew
        self.seen = seen
    }

    /// The public key of `party`, if known.
    public func publicKey(of party: PartyID) -> Data? { keys[party] }

    /// Verifies a request and returns the signing party.
    public func verify(
        method: String, path: String, body: some DataProtocol, signature: RequestSignature?, now: Date = Date()
    ) -> Result<PartyID, Refusal> {
        guard let signature else { return .failure(.unsigned) }
        guard let key = publicKey(of: signature.keyID) else { return .failure(.unknownKey) }
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded())
        let (difference, overflow) = nowMilliseconds.subtractingReportingOverflow(signature.timestamp)
        guard !overflow, difference.magnitude <= maximumSkew.magnitude else { return .failure(.stale) }
        guard RequestSignature.isWellFormed(nonce: signature.nonce) else { return .failure(.badNonce) }
        guard audiences.contains(signature.audience) else { return .failure(.wrongAudience) }
        let message = RequestSignature.message(
            audience: signature.audience, method: method, path: path, timestamp: signature.timestamp,
            nonce: signature.nonce, body: body)
        guard Ed25519.verify(signature: signature.signature, of: message, publicKey: key) else {
            return .failure(.badSignature)
        }
        let fresh = lock.withLock {
            seen.insert(signature.signature, at: nowMilliseconds, keepFor: 2 * maximumSkew)
        }
        return fresh ? .success(signature.keyID) : .failure(.replayed)
    }
}
