import Crypto
import Foundation
import Ledger
import Synchronization

/// The request signature scheme between parties: Ed25519 over the method, path, timestamp, nonce and SHA-256 of
/// the body, sent in the `X-SCBroker-*` headers (README.md, "Live nodes").
public struct RequestSignature: Sendable, Hashable {
    public let keyID: PartyID
    public let timestamp: Int64
    public let nonce: String
    public let signature: Data

    public init(keyID: PartyID, timestamp: Int64, nonce: String, signature: Data) {
        self.keyID = keyID
        self.timestamp = timestamp
        self.nonce = nonce
        self.signature = signature
    }

    /// The bytes that are signed: one field per line, the body as its SHA-256 in hex.
    public static func message(
        method: String, path: String, timestamp: Int64, nonce: String, body: some DataProtocol
    )
        -> Data
    {
        let digest = Hex.encode(SHA256.hash(data: body))
        return Data("scbroker-request-v1\n\(method.uppercased())\n\(path)\n\(timestamp)\n\(nonce)\n\(digest)".utf8)
    }

    /// Signs a request as `key.party`.
    public static func sign(
        method: String, path: String, body: some DataProtocol, key: PartyKey, now: Date = Date()
    ) throws -> RequestSignature {
        let timestamp = Int64((now.timeIntervalSince1970 * 1000).rounded())
        var generator = SystemRandomNumberGenerator()
        let nonce = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let signature = try key.sign(
            message(method: method, path: path, timestamp: timestamp, nonce: nonce, body: body))
        return RequestSignature(keyID: key.party, timestamp: timestamp, nonce: nonce, signature: signature)
    }

    /// The four header values, in `NodeHeaders` order: key id, timestamp, nonce, signature.
    public var headerValues: [(String, String)] {
        [
            (NodeHeaders.keyID.rawName, keyID.rawValue), (NodeHeaders.timestamp.rawName, String(timestamp)),
            (NodeHeaders.nonce.rawName, nonce), (NodeHeaders.signature.rawName, signature.base64EncodedString()),
        ]
    }
}

/// Checks request signatures: a known key, a fresh timestamp, a valid signature, never seen before.
///
/// Thread-safe; remembers every accepted signature for twice the allowed clock skew, so a replay inside the window
/// is refused and one outside it is refused as stale.
public final class RequestVerifier: Sendable {
    /// Why a request was refused (every case is a 401).
    public enum Refusal: String, Sendable, Error {
        case unsigned = "the request is not signed (X-SCBroker-Key-Id, -Timestamp, -Nonce, -Signature)"
        case unknownKey = "the signing party is unknown to this node"
        case stale = "the request's timestamp is outside the allowed clock skew"
        case badSignature = "the signature does not verify"
        case replayed = "this signed request was already received"
    }

    private let keys: [PartyID: Data]
    /// The accepted signatures, by when they were seen, and when they were last purged.
    private let replayWindow = Mutex((seen: [Data: Int64](), lastPurge: Int64(0)))
    /// The allowed difference between the signer's clock and this node's, in milliseconds.
    public let maximumSkew: Int64

    public init(keys: [PartyID: Data], maximumSkew: Int64 = 30_000) {
        self.keys = keys
        self.maximumSkew = maximumSkew
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
        guard abs(nowMilliseconds - signature.timestamp) <= maximumSkew else { return .failure(.stale) }
        let message = RequestSignature.message(
            method: method, path: path, timestamp: signature.timestamp, nonce: signature.nonce, body: body)
        guard Ed25519.verify(signature: signature.signature, of: message, publicKey: key) else {
            return .failure(.badSignature)
        }
        return replayWindow.withLock { window in
            if nowMilliseconds - window.lastPurge > maximumSkew {
                window.seen = window.seen.filter { nowMilliseconds - $0.value <= 2 * maximumSkew }
                window.lastPurge = nowMilliseconds
            }
            guard window.seen.updateValue(nowMilliseconds, forKey: signature.signature) == nil else {
                return .failure(.replayed)
            }
            return .success(signature.keyID)
        }
    }
}
