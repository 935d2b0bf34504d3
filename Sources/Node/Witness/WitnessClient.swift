import AsyncHTTPClient
import Foundation
import Ledger
import NIOCore
import NIOHTTP1

/// A node's link to a witness (`witness:` in the node file): submits co-signed checkpoints with their consistency
/// proofs and checks the witness's cosignature under its verifier key.
public struct WitnessClient: Sendable {
    /// The witness's base URL, e.g. `http://127.0.0.1:8090`.
    public let url: String
    /// The witness's verifier key: its cosignatures must verify under it.
    public let key: VerifierKey
    public let http: HTTPClient
    public let timeout: TimeAmount

    public init(url: String, key: VerifierKey, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.key = key
        self.http = http
        self.timeout = timeout
    }

    /// The latest checkpoint the witness cosigned of a ledger, `nil` when none.
    /// - Throws: `NodeError(.transport)` when the witness does not answer with a note or 404.
    public func latest(of ledgerID: LedgerID) async throws -> Checkpoint? {
        let (status, body) = try await send(.GET, path: WitnessRoutes.ledgerPath(ledgerID), body: nil)
        if status == 404 { return nil }
        guard status == 200, let checkpoint = try? Checkpoint.parse(String(decoding: body, as: UTF8.self)) else {
            throw NodeError(.transport, "witness \(url) answered \(status) for ledger \(ledgerID)")
        }
        return checkpoint
    }

    /// Submits a checkpoint; a cosigned answer is checked (same note text, the witness's valid cosignature).
    /// - Throws: `NodeError(.transport)` when the witness is unreachable or answers something else, `.ledger`
    ///   when its cosignature does not verify.
    public func submit(_ submission: WitnessSubmission) async throws -> WitnessVerdict {
        let (status, body) = try await send(
            .POST, path: WitnessRoutes.checkpointsPath,
            body: try JSONEncoder().encode(WitnessCheckpointRequest(submission)))
        guard [200, 409, 422].contains(status), let answer = try? JSONDecoder().decode(WitnessAnswer.self, from: body),
            let verdict = answer.verdict()
        else {
            throw NodeError(
                .transport, "witness \(url) answered \(status): \(String(decoding: body.prefix(2_000), as: UTF8.self))")
        }
        if case .cosigned(let cosigned) = verdict {
            guard cosigned.noteText == submission.checkpoint.noteText,
                cosigned.signatureStatus(of: key.name, publicKey: key.publicKey) == .valid
            else { throw NodeError(.ledger, "the witness's cosignature does not verify under \(key)") }
        }
        return verdict
    }

    private func send(_ method: HTTPMethod, path: String, body: Data?) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), Data(buffer: buffer))
        } catch {
            throw NodeError(.transport, "\(method.rawValue) \(url + path): \(error)")
        }
    }
}
