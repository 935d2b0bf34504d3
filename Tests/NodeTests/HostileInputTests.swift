import CanonicalJSON
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import SupplyChain
import Synchronization
import Testing

@testable import Node

/// Regression tests for the findings of the hostile-input probe (issue "Hostile input"): each reproduces a
/// finding against a live node's routes, journal and ledger lanes, and checks the node survives with nothing lost.
@Suite(.serialized)
struct HostileInputTests {
    typealias Fixture = NodeRouteTests.Fixture
    static let poqPath = NodeRoutes.poqPath

    /// The MEF EPL POQ example with `change` applied to its JSON object.
    static func poq(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> Data {
        var object = try #require(
            try JSONSerialization.jsonObject(with: NodeRouteTests.fixture("ce_poq_new_epl")) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func post(
        _ client: some TestClientProtocol, _ body: Data, key: PartyKey, headers extra: HTTPFields = [:],
        path: String = poqPath
    ) async throws -> TestResponse {
        var headers = try NodeRouteTests.signed(.post, path, body: body, key: key)
        headers.append(contentsOf: extra)
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    static func health(_ client: some TestClientProtocol) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/health", method: .get)
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("finding 1: a timestamp of Int64.min is refused as stale (401) and the node keeps answering")
    func timestampOverflow() async throws {
        let fixture = try Fixture()
        let body = try Self.poq()
        try await fixture.server.application().test(.router) { client in
            var headers = try NodeRouteTests.signed(.post, Self.poqPath, body: body, key: fixture.buyer)
            for timestamp in ["-9223372036854775808", "9223372036854775807"] {
                headers[NodeHeaders.timestamp] = timestamp
                let response = try await client.execute(
                    uri: Self.poqPath, method: .post, headers: headers, body: ByteBuffer(bytes: body))
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("clock skew"))
            }
            #expect(try await Self.health(client)["status"] as? String == "up")
        }
        #expect(try fixture.ledgerCount() == 0)
    }

    @Test("finding 2: bandwidthMbps 1e19 gets an answer, and the journal that holds it replays after a restart")
    func hugeBandwidth() async throws {
        let fixture = try Fixture()
        let body = try Self.poq { object in
            var items = object["productOfferingQualificationItem"] as! [[String: Any]]
            var product = items[0]["product"] as! [String: Any]
            var configuration = product["productConfiguration"] as! [String: Any]
            configuration["bandwidthMbps"] = 1e19
            product["productConfiguration"] = configuration
            items[0]["product"] = product
            object["productOfferingQualificationItem"] = items
        }
        let id = try await fixture.server.application().test(.router) { client in
            let created = try await Self.post(client, body, key: fixture.buyer)
            #expect(created.status == .created)
            let poq = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any]
            return try #require(poq?["id"] as? String)
        }
        let restarted = try Fixture(restarting: fixture)
        #expect(try await restarted.server.node.restore() >= 1)
        #expect(await restarted.server.node.quarantined.isEmpty)
        try await restarted.server.application().test(.router) { client in
            let path = "\(Self.poqPath)/\(id)"
            let read = try await client.execute(
                uri: path, method: .get, headers: NodeRouteTests.signed(.get, path, body: Data(), key: fixture.buyer))
            #expect(read.status == .ok)
        }
    }

    @Test("finding 3: a body nested past the request limit is refused (400) before anything is answered or kept")
    func deepNesting() async throws {
        let fixture = try Fixture()
        let deep = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        var text = String(decoding: try Self.poq(), as: UTF8.self)
        text.removeLast()
        let body = Data((text + ",\"note\":" + deep + "}").utf8)
        try await fixture.server.application().test(.router) { client in
            let response = try await Self.post(client, body, key: fixture.buyer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("nesting deeper than 64"))
            let created = try await Self.post(client, try Self.poq(), key: fixture.buyer)
            #expect(created.status == .created)
            let poq = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any]
            #expect(poq?["id"] as? String == "SELLER-poq-1")
        }
        let journal = try InputJournal(
            path: InputJournal.path(forDatabase: fixture.directory.appendingPathComponent("seller.sqlite").path))
        #expect(try journal.lines().count == 1)
    }

    @Test("finding 6: a request signed for another node is refused; a replay after a restart is refused")
    func audienceAndReplayAcrossRestarts() async throws {
        let fixture = try Fixture()
        let body = try Self.poq()
        try await fixture.server.application().test(.router) { client in
            let elsewhere = try NodeRouteTests.signed(
                .post, Self.poqPath, body: body, key: fixture.buyer, audience: "OTHER")
            let refused = try await client.execute(
                uri: Self.poqPath, method: .post, headers: elsewhere, body: ByteBuffer(bytes: body))
            #expect(refused.status == .unauthorized)
            #expect(String(buffer: refused.body).contains("signed for another party"))
        }
        let headers = try NodeRouteTests.signed(.post, Self.poqPath, body: body, key: fixture.buyer)
        try await fixture.server.application().test(.router) { client in
            let first = try await client.execute(
                uri: Self.poqPath, method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(first.status == .created)
        }
        let restarted = try Fixture(restarting: fixture)
        _ = try await restarted.server.node.restore()
        try await restarted.server.application().test(.router) { client in
            let replay = try await client.execute(
                uri: Self.poqPath, method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(replay.status == .unauthorized)
            #expect(String(buffer: replay.body).contains("already received"))
        }
    }

    @Test("finding 7: hub callbacks and Reply-To outside the buyer's configured origins get 422 and are not kept")
    func confusedDeputy() async throws {
        let fixture = try Fixture()
        try await fixture.server.application().test(.router) { client in
            for callback in [
                "http://127.0.0.1:8082/ledger/v1/x/entries?", "http://169.254.169.254/latest", "file:///etc/passwd",
                "https://hooks.buyer.example/sonata?x=", "http://user@127.0.0.1:9/",
            ] {
                let body = try JSONSerialization.data(withJSONObject: ["callback": callback])
                let response = try await Self.post(client, body, key: fixture.buyer, path: NodeRoutes.hubPath)
                #expect(response.status == .unprocessableContent, "\(callback)")
                #expect(String(buffer: response.body).contains("/callback"))
            }
            let allowed = try JSONSerialization.data(withJSONObject: ["callback": "https://hooks.buyer.example/sonata"])
            let registered = try await Self.post(client, allowed, key: fixture.buyer, path: NodeRoutes.hubPath)
            #expect(registered.status == .created)
            var replyTo = HTTPFields()
            replyTo[NodeHeaders.replyTo] = "http://127.0.0.1:7777"
            let poq = try await Self.post(client, try Self.poq(), key: fixture.buyer, headers: replyTo)
            #expect(poq.status == .unprocessableContent)
            #expect(String(buffer: poq.body).contains("X-SCBroker-Reply-To"))
        }
        // The allowed hub registration is the only input the node took.
        let path = InputJournal.path(forDatabase: fixture.directory.appendingPathComponent("seller.sqlite").path)
        #expect(try InputJournal(path: path).lines().count == 1)
    }

    @Test("smaller: duplicate keys 400, application/jsonx 415, a malformed nonce 401, no Swift type names in errors")
    func smallerFindings() async throws {
        let fixture = try Fixture()
        try await fixture.server.application().test(.router) { client in
            var text = String(decoding: try Self.poq(), as: UTF8.self)
            text.removeLast()
            let duplicate = Data((text + ",\"externalId\":\"again\"}").utf8)
            let twice = try await Self.post(client, duplicate, key: fixture.buyer)
            #expect(twice.status == .badRequest)
            #expect(String(buffer: twice.body).contains("duplicate member name"))

            let body = try Self.poq()
            let jsonx = try await client.execute(
                uri: Self.poqPath, method: .post,
                headers: NodeRouteTests.signed(
                    .post, Self.poqPath, body: body, key: fixture.buyer, contentType: "application/jsonx"),
                body: ByteBuffer(bytes: body))
            #expect(jsonx.status == .unsupportedMediaType)

            var nonce = try NodeRouteTests.signed(.post, Self.poqPath, body: body, key: fixture.buyer)
            nonce[NodeHeaders.nonce] = "not-hex"
            let badNonce = try await client.execute(
                uri: Self.poqPath, method: .post, headers: nonce, body: ByteBuffer(bytes: body))
            #expect(badNonce.status == .unauthorized)
            #expect(String(buffer: badNonce.body).contains("32 lower-case hex"))

            let order = Data(#"{"relatedContactInformation": 5}"#.utf8)
            let decoding = try await Self.post(client, order, key: fixture.buyer, path: NodeRoutes.productOrderPath)
            #expect(decoding.status == .badRequest)
            let errorText = String(buffer: decoding.body)
            #expect(errorText.contains(#""propertyPath":"/relatedContactInformation""#))
            for leak in ["DecodingError", "CodingKeys", "typeMismatch", "Swift."] { #expect(!errorText.contains(leak)) }
        }
        #expect(try fixture.ledgerCount() == 0)
    }

    @Test("a journal line that does not decode, or that stopped the process while replayed, is quarantined")
    func quarantine() async throws {
        let fixture = try Fixture()
        try await fixture.server.application().test(.router) { client in
            for index in 1...2 {
                let body = try Self.poq { $0["externalId"] = "poq-\(index)" }
                #expect(try await Self.post(client, body, key: fixture.buyer).status == .created)
            }
        }
        let path = InputJournal.path(forDatabase: fixture.directory.appendingPathComponent("seller.sqlite").path)
        let journal = try InputJournal(path: path)
        let lines = try journal.lines()
        // Both POQs must have been taken (a loaded machine can stall a signed request past its skew window).
        try #require(lines.count == 2, "the two POQs were not both journaled")
        #expect(lines.map(\.idCounter) == [0, 1])
        // The first POQ's line stopped the process while it was replayed; an unreadable line follows.
        try journal.replaying(lines[0].seq)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO journal (at, seed, entry) VALUES (0, 0, '{\"input\": 42}')")
        }
        let restarted = try Fixture(restarting: fixture)
        #expect(try await restarted.server.node.restore() == 1)
        #expect(await restarted.server.node.quarantined.map(\.seq) == [lines[0].seq, lines[1].seq + 1])
        try await restarted.server.application().test(.router) { client in
            #expect(try await Self.health(client)["quarantinedInputs"] as? Int == 2)
            // Ids continue from what the journal says was handed out: the quarantined POQ's id is not reused.
            let created = try await Self.post(client, try Self.poq { $0["externalId"] = "third" }, key: fixture.buyer)
            let poq = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any]
            #expect(poq?["id"] as? String == "SELLER-poq-3")
        }
    }

    @Test("smaller: with metricsToken, /metrics (which names trading partners) needs the bearer token")
    func metricsToken() async throws {
        let fixture = try Fixture(extra: "metricsToken: s3cret-token\n")
        try await fixture.server.application().test(.router) { client in
            let anonymous = try await client.execute(uri: "/metrics", method: .get)
            #expect(anonymous.status == .unauthorized)
            var wrong = HTTPFields()
            wrong[.authorization] = "Bearer s3cret-tokeN"
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: wrong).status == .unauthorized)
            var right = HTTPFields()
            right[.authorization] = "Bearer s3cret-token"
            let page = try await client.execute(uri: "/metrics", method: .get, headers: right)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("broker_node_http_requests_total"))
        }
    }

    /// A counterparty whose copy is behind: every proposal conflicts and it has nothing newer to give.
    final class BehindTransport: LedgerTransport, Sendable {
        private let count = Mutex(0)
        var proposals: Int { count.withLock { $0 } }

        func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome {
            count.withLock { $0 += 1 }
            return .conflict(LedgerHead(seq: 0, hash: LedgerEntry.genesisPrevHash))
        }

        func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry] {
            []
        }
    }

    @Test("finding 4: a counterparty that stays behind gets a handful of proposals with back-off, not a loop")
    func conflictBackOff() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("behind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = PartyKey(party: "SELLER")
        let buyer = PartyKey(party: "BUYER")
        let transport = BehindTransport()
        let metrics = NodeMetrics()
        let ledgers = try NodeLedgers(
            key: key, database: directory.appendingPathComponent("seller.sqlite").path, withSOF: false,
            peerKeys: ["BUYER": buyer.publicKey], transport: transport, logger: Logger(label: "test"),
            retryLimit: .seconds(2), metrics: metrics)
        let record = LedgerRecord(counterparty: "BUYER", kind: "hub.registered", refs: [:], body: [:])
        await #expect(throws: NodeError.self) { try await ledgers.append(record, at: Instant(milliseconds: 0)) }
        // 2, 4, 8, … 1024 ms of back-off fill 2 s: at most twelve proposals, fewer on a loaded machine (the probe
        // saw 11,023 in 15 s without back-off).
        #expect(transport.proposals >= 2 && transport.proposals <= 12)
        let page = metrics.registry.emitToString()
        #expect(page.contains(#"broker_node_ledger_conflicts_total{counterparty="BUYER",outcome="backedOff"}"#))
    }
}
