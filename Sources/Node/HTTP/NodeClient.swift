import AsyncHTTPClient
import Foundation
import Ledger
import NIOCore
import NIOHTTP1

/// Outbound HTTP for a party: every request signed with its key (`RequestSignature`).
public struct NodeClient: LedgerTransport {
    public let key: PartyKey
    /// Base URL per party this client calls.
    public let urls: [PartyID: String]
    public let http: HTTPClient
    public let timeout: TimeAmount

    public init(key: PartyKey, urls: [PartyID: String], http: HTTPClient = .shared, timeout: TimeAmount = .seconds(60))
    {
        self.key = key
        self.urls = urls
        self.http = http
        self.timeout = timeout
    }

    /// A response: status, headers and the whole body.
    public struct Reply: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: Data
    }

    /// Sends a signed request to `party` (or to an absolute `url`) and reads the whole answer.
    /// - Throws: `NodeError(.transport)` when the party is unreachable.
    public func send(
        _ method: HTTPMethod, to party: PartyID, url: String? = nil, path: String, body: Data = Data(),
        headers extra: [(String, String)] = [], contentType: String = "application/json",
        accept: String = "application/json", timeout: TimeAmount? = nil
    ) async throws -> Reply {
        guard let base = url ?? urls[party] else { throw NodeError(.transport, "no URL for \(party.rawValue)") }
        let signature = try RequestSignature.sign(
            audience: party, method: method.rawValue, path: path, body: body, key: key)
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in signature.headerValues + extra { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: accept)
        if !body.isEmpty || method == .POST {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, timeout: timeout ?? self.timeout)
            let buffer = try await response.body.collect(upTo: 64 << 20)
            return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: buffer))
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.transport, "\(method.rawValue) \(base + path): \(error)")
        }
    }

    // MARK: - LedgerTransport

    public func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome {
        let reply = try await send(
            .POST, to: counterparty, path: NodeRoutes.ledgerEntriesPath(entry.ledgerID),
            body: try JSONEncoder().encode(entry))
        switch reply.status {
        case 200, 201:
            return .countersigned(try JSONDecoder().decode(LedgerEntry.self, from: reply.body))
        case 409:
            return .conflict(try JSONDecoder().decode(LedgerHead.self, from: reply.body))
        case 400, 413, 415, 422:
            // A refusal of the entry itself: sending it again cannot change the answer.
            throw NodeError(
                .ledger,
                "\(counterparty) refused entry \(entry.seq): \(reply.status) \(String(decoding: reply.body.prefix(2_000), as: UTF8.self))"
            )
        default:
            // 401 (clock skew), 404 (not yet configured), 5xx: the counterparty may answer otherwise later.
            throw NodeError(.transport, "\(counterparty) answered \(reply.status) to entry \(entry.seq)")
        }
    }

    public func proposeBatch(_ entries: [LedgerEntry], to counterparty: PartyID) async throws -> BatchProposalOutcome {
        guard let first = entries.first else { return .countersigned([]) }
        let reply = try await send(
            .POST, to: counterparty,
            path: NodeRoutes.ledgerEntriesPath(first.ledgerID) + "?answer=" + NodeRoutes.countersignaturesAnswer,
            body: LedgerEntry.wireData(entries))
        switch reply.status {
        case 200, 201:
            return .countersigned(try LedgerEntry.countersigned(entries, answer: reply.body))
        case 409:
            return .conflict(try JSONDecoder().decode(LedgerHead.self, from: reply.body))
        case 400, 413, 415, 422:
            // The batch's first entry is refused: sending it again cannot change the answer.
            throw NodeError(
                .ledger,
                "\(counterparty) refused entry \(first.seq): \(reply.status) \(String(decoding: reply.body.prefix(2_000), as: UTF8.self))"
            )
        default:
            throw NodeError(.transport, "\(counterparty) answered \(reply.status) to entries from \(first.seq)")
        }
    }

    public func cosign(_ checkpoint: Checkpoint, at counterparty: PartyID) async throws -> Checkpoint {
        let id = checkpoint.ledgerID ?? LedgerID(rawValue: "-")
        let reply = try await send(
            .POST, to: counterparty, path: NodeRoutes.ledgerCheckpointsPath(id),
            body: try JSONEncoder().encode(CheckpointNote(note: checkpoint.text)))
        guard reply.status == 200 else {
            throw NodeError(
                .ledger,
                "\(counterparty) refused checkpoint \(checkpoint.size): \(reply.status) "
                    + String(decoding: reply.body, as: UTF8.self))
        }
        return try Checkpoint.parse(try JSONDecoder().decode(CheckpointNote.self, from: reply.body).note)
    }

    public func review(_ entry: LedgerEntry, by neighbour: PartyID) async throws -> OmniVerdict {
        let reply = try await send(
            .POST, to: neighbour, path: NodeRoutes.omniReviewPath(neighbour), body: try JSONEncoder().encode(entry))
        guard reply.status == 200 else {
            throw NodeError(
                .ledger,
                "\(neighbour) did not review omni entry \(entry.seq): \(reply.status) "
                    + String(decoding: reply.body.prefix(2_000), as: UTF8.self))
        }
        return try JSONDecoder().decode(OmniVerdict.self, from: reply.body)
    }

    public func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry] {
        let reply = try await send(
            .GET, to: counterparty, path: NodeRoutes.ledgerEntriesPath(ledger) + "?from=\(seq)")
        guard reply.status == 200 else {
            throw NodeError(.transport, "\(counterparty) answered \(reply.status) for entries of \(ledger)")
        }
        return try LedgerEntry.entries(wireData: reply.body)
    }
}

extension HTTPClient {
    /// The connections ledger agreement uses, apart from those requests use: a batch proposal never waits in a
    /// connection pool's queue behind the requests to the same party. Sharing one pool, a retail buyer with 2,000
    /// POQs queued to one seller sent its first proposal 1.6 s late, and the seller's entries waited for it.
    public static let ledger = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .singletonConfiguration)
}
