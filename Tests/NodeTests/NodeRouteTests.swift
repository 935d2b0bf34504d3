import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Node
import Testing

/// The live node's routes, in process: Sonata POQ create and read, errors, and request authentication.
///
/// This suite and every other that starts in-process nodes (`Fixture`, about a dozen open files each) runs its tests
/// one at a time. With all of them at once the test process held up to 1,440 descriptors (sampled twice a second),
/// and Foundation's `Process.run` on Linux reads the `/proc/self/fd` listing with an over-read that can fault once
/// the listing fills glibc's 32 KB directory buffer, about 1,360 entries (fixed upstream in swift-corelibs-foundation
/// #5472, not in this toolchain): the test process died with signal 11 in a CLI test's `Process.run` once in CI.
/// Serialized, and with each fixture's node freed when the fixture goes (`Fixture.Release`), the most seen was 551.
@Suite(.serialized)
struct NodeRouteTests {
    /// A node (provider SELLER, no sellers of its own) with one known buyer, BUYER, and one other, OTHER.
    struct Fixture {
        let directory: URL
        let server: NodeServer
        let buyer: PartyKey
        let other: PartyKey
        /// Drops the node's waiting jobs when the last copy of this fixture goes (`JobQueue.discardWaiting`).
        private let release: Release

        /// The node's service never runs in a route test, so the jobs its core starts (sends, timers, ledger lanes)
        /// wait in its queue, and they hold the node: dropped, they free it with its files.
        final class Release: Sendable {
            let jobs: JobQueue
            init(_ jobs: JobQueue) { self.jobs = jobs }
            deinit { jobs.discardWaiting() }
        }

        /// - Parameters:
        ///   - clock: extra `clock:` configuration (a stepped clock), if any.
        ///   - restarting: the fixture whose node this one restarts (same directory, keys and files).
        ///   - callbacks: more origins on which BUYER may register hub callbacks (beside its url and
        ///     `https://buyer.example`, `https://hooks.buyer.example/sonata`).
        ///   - extra: more top-level configuration lines.
        ///   - supplier: whether SELLER sources what its catalog lacks from SUPPLIER, a seller that never answers
        ///     (a request for it stays in progress until its deadline).
        ///   - catalog: the seller's catalog entry (EPL anywhere, cost 100, no SLA unless given).
        init(
            clock: String? = nil, restarting previous: Fixture? = nil, callbacks: [String] = [], extra: String = "",
            supplier: Bool = false, catalog: String = #"{ offering: EPL, places: ["*"], cost: 100 }"#
        ) throws {
            if let previous {
                directory = previous.directory
                buyer = previous.buyer
                other = previous.other
                let path = directory.appendingPathComponent("seller.yaml").path
                server = try NodeServer(
                    configuration: NodeConfiguration.load(path: path), logger: Logger(label: "test"))
                release = Release(server.node.jobs)
                return
            }
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("node-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let seller = PartyKey(party: "SELLER")
            buyer = PartyKey(party: "BUYER")
            other = PartyKey(party: "OTHER")
            try KeyFile(key: seller).write(to: directory.appendingPathComponent("seller.key").path)
            let sellers = supplier ? "\n  sellers: [SUPPLIER]" : ""
            let supplierPeer =
                supplier
                ? "\n  - { id: SUPPLIER, url: \"http://127.0.0.1:9\", publicKey: "
                    + "\(PartyKey(party: "SUPPLIER").publicKey.hexString) }" : ""
            let yaml = """
                listen: { host: 127.0.0.1, port: 0 }
                keyFile: seller.key
                database: seller.sqlite
                maxBodyBytes: 65536
                requestSkew: 10m
                defaults: { processingTime: 100ms }
                provider:
                  id: SELLER
                  markup: 10%
                  catalog:
                    - \(catalog)\(sellers)
                peers:
                  - id: BUYER
                    publicKey: \(buyer.publicKey.hexString)
                    url: "http://127.0.0.1:9"
                    callbacks: [\((["https://buyer.example", "https://hooks.buyer.example/sonata"] + callbacks).map { "\"\($0)\"" }.joined(separator: ", "))]
                  - { id: OTHER, publicKey: \(other.publicKey.hexString) }\(supplierPeer)
                """ + (clock.map { "\nclock: \($0)\n" } ?? "") + "\n" + extra
            let path = directory.appendingPathComponent("seller.yaml").path
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            server = try NodeServer(configuration: NodeConfiguration.load(path: path), logger: Logger(label: "test"))
            release = Release(server.node.jobs)
        }

        /// Parties with ledgers in the node's database (none until something is recorded).
        func ledgerCount() throws -> Int { try server.node.ledgers.store.ledgerIDs().count }
    }

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func signed(
        _ method: HTTPRequest.Method, _ path: String, body: Data, key: PartyKey,
        contentType: String = "application/json", audience: PartyID = "SELLER"
    ) throws -> HTTPFields {
        let signature = try RequestSignature.sign(
            audience: audience, method: method.rawValue, path: path, body: body, key: key)
        var headers = HTTPFields()
        for (name, value) in signature.headerValues { headers[HTTPField.Name(name)!] = value }
        headers[.contentType] = contentType
        return headers
    }

    static let poqPath = NodeRoutes.poqPath

    @Test("MEF79-R32 a clean MEF POQ example is created (201) with the seller's own id, readable only by its buyer")
    func cleanPOQ() async throws {
        let fixture = try Fixture()
        let body = try Self.fixture("ce_poq_new_epl")
        try await fixture.server.application().test(.router) { client in
            let created = try await client.execute(
                uri: Self.poqPath, method: .post,
                headers: Self.signed(.post, Self.poqPath, body: body, key: fixture.buyer),
                body: ByteBuffer(bytes: body))
            #expect(created.status == .created)
            let poq = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any]
            let id = try #require(poq?["id"] as? String)
            #expect(id.hasPrefix("SELLER-"))
            #expect(poq?["state"] as? String == "acknowledged")
            let path = "\(Self.poqPath)/\(id)"
            let mine = try await client.execute(
                uri: path, method: .get, headers: Self.signed(.get, path, body: Data(), key: fixture.buyer))
            #expect(mine.status == .ok)
            let theirs = try await client.execute(
                uri: path, method: .get, headers: Self.signed(.get, path, body: Data(), key: fixture.other))
            #expect(theirs.status == .forbidden)
            let list = try await client.execute(
                uri: Self.poqPath, method: .get,
                headers: Self.signed(.get, Self.poqPath, body: Data(), key: fixture.other))
            #expect(String(buffer: list.body) == "[]")
        }
    }

    @Test("MEF79-R11 a deferred POQ without requestedPOQCompletionDate gets 422 with a MEF error naming the rule")
    func brokenPOQ() async throws {
        let fixture = try Fixture()
        let body = try Self.fixture("ia_poq_basic_internet_access")
        try await fixture.server.application().test(.router) { client in
            let response = try await client.execute(
                uri: Self.poqPath, method: .post,
                headers: Self.signed(.post, Self.poqPath, body: body, key: fixture.buyer),
                body: ByteBuffer(bytes: body))
            #expect(response.status == .unprocessableContent)
            let errors = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
            let first = try #require(errors?.first)
            #expect(first["code"] as? String == "invalidValue")
            #expect(first["propertyPath"] as? String == "/requestedPOQCompletionDate")
            #expect((first["reason"] as? String)?.hasPrefix("MEF79-R11") == true)
        }
        #expect(try fixture.ledgerCount() == 0)
    }

    @Test("bad input: malformed JSON 400, wrong content type 415, oversized body 413, nothing on the ledger")
    func badInput() async throws {
        let fixture = try Fixture()
        try await fixture.server.application().test(.router) { client in
            let malformed = Data("{\"instantSyncQualification\": tru".utf8)
            let bad = try await client.execute(
                uri: Self.poqPath, method: .post,
                headers: Self.signed(.post, Self.poqPath, body: malformed, key: fixture.buyer),
                body: ByteBuffer(bytes: malformed))
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("invalidBody"))
            let text = Data("hello".utf8)
            let wrongType = try await client.execute(
                uri: Self.poqPath, method: .post,
                headers: Self.signed(.post, Self.poqPath, body: text, key: fixture.buyer, contentType: "text/plain"),
                body: ByteBuffer(bytes: text))
            #expect(wrongType.status == .unsupportedMediaType)
            let huge = Data(repeating: 0x20, count: 70_000)
            let tooLarge = try await client.execute(
                uri: Self.poqPath, method: .post,
                headers: Self.signed(.post, Self.poqPath, body: huge, key: fixture.buyer),
                body: ByteBuffer(bytes: huge))
            #expect(tooLarge.status == .contentTooLarge)
        }
        #expect(try fixture.ledgerCount() == 0)
    }

    @Test("authentication: unsigned, unknown key, wrong key and replayed requests get 401 and nothing is recorded")
    func authentication() async throws {
        let fixture = try Fixture()
        let body = try Self.fixture("ce_poq_new_epl")
        try await fixture.server.application().test(.router) { client in
            var unsigned = HTTPFields()
            unsigned[.contentType] = "application/json"
            let none = try await client.execute(
                uri: Self.poqPath, method: .post, headers: unsigned, body: ByteBuffer(bytes: body))
            #expect(none.status == .unauthorized)
            #expect(String(buffer: none.body).contains("missingCredentials"))

            let stranger = PartyKey(party: "STRANGER")
            let unknown = try await client.execute(
                uri: Self.poqPath, method: .post, headers: Self.signed(.post, Self.poqPath, body: body, key: stranger),
                body: ByteBuffer(bytes: body))
            #expect(unknown.status == .unauthorized)

            let impostor = try PartyKey(party: "BUYER", seed: Data(repeating: 7, count: 32))
            let wrong = try await client.execute(
                uri: Self.poqPath, method: .post, headers: Self.signed(.post, Self.poqPath, body: body, key: impostor),
                body: ByteBuffer(bytes: body))
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("does not verify"))

            let tampered = Data(body.reversed())
            let headers = try Self.signed(.post, Self.poqPath, body: body, key: fixture.buyer)
            let changed = try await client.execute(
                uri: Self.poqPath, method: .post, headers: headers, body: ByteBuffer(bytes: tampered))
            #expect(changed.status == .unauthorized)
            #expect(try fixture.ledgerCount() == 0)

            let first = try await client.execute(
                uri: Self.poqPath, method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(first.status == .created)
            let replay = try await client.execute(
                uri: Self.poqPath, method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(replay.status == .unauthorized)
            #expect(String(buffer: replay.body).contains("already received"))
        }
    }

    @Test("GET /health answers with the node's party")
    func health() async throws {
        let fixture = try Fixture()
        try await fixture.server.application().test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("SELLER"))
        }
    }
}
