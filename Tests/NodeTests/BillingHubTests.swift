import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Sonata
import SupplyChain
import Synchronization
import Testing

@testable import Node

/// The Sonata billing v2 hub on a live node: a plain buyer registers a listener for its own bills and hears each
/// new bill (`customerBillCreateEvent`) and each change of its state (`customerBillStateChangeEvent`), bodies
/// checked against billingNotification.api.yaml; bad registrations and other buyers' hubs are refused; a restart
/// keeps the hubs.
@Suite(.serialized)
struct BillingHubTests {
    static let notificationSchema = OrderRouteTests.schema("billingNotification.api")
    static let schema = BillingSchemaTests.billingSchema

    /// What a listener received: the event type of its path and the body.
    final class Heard: Sendable {
        private let events = Mutex<[(type: String, body: JSONValue)]>([])
        func append(_ type: String, _ body: JSONValue) { events.withLock { $0.append((type, body)) } }
        var all: [(type: String, body: JSONValue)] { events.withLock { $0 } }

        /// Waits (up to 30 seconds) until `count` events arrived.
        func wait(for count: Int) async throws {
            await waitUntil { all.count >= count }
        }
    }

    /// A listener on 127.0.0.1 that keeps what arrives at `/shop/listener/{eventType}`; runs `body` with its port.
    static func listening(_ heard: Heard, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let router = Router(context: BasicRequestContext.self)
        router.post("/shop/listener/{eventType}") { request, context -> Response in
            let data = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            heard.append(context.parameters.get("eventType") ?? "", try JSONValue.parse(data))
            return Response(status: .noContent)
        }
        let listener = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await listener.test(.live) { client in try await body(try #require(client.port)) }
    }

    /// The billing route tests' node (stepped clock, contract SELLER → BUYER, paymentTerms 30x15), whose buyer may
    /// be called back on the listener's port.
    static func fixture(port: Int, restarting previous: NodeRouteTests.Fixture? = nil) throws -> NodeRouteTests.Fixture
    {
        try NodeRouteTests.Fixture(
            clock: "{ mode: stepped, start: \"\(OrderRouteTests.start)\", controller: BUYER }",
            restarting: previous, callbacks: ["http://127.0.0.1:\(port)"],
            extra: "contracts:\n  - { seller: SELLER, buyer: BUYER, paymentTerms: 30x15 }\n")
    }

    /// Runs `body` with the node's jobs (its deliveries to listeners) running.
    static func running(_ fixture: NodeRouteTests.Fixture, _ body: () async throws -> Void) async throws {
        var service = fixture.server.service
        service.drainLimit = .zero
        let jobs = Task { try await service.run() }
        defer { jobs.cancel() }
        try await body()
    }

    static func register(
        _ input: String, as key: PartyKey, to client: some TestClientProtocol
    ) async throws -> (HTTPResponse.Status, JSONValue) {
        try await OrderRouteTests.send(.post, NodeRoutes.billingHubPath, body: Data(input.utf8), as: key, to: client)
    }

    static func answer(
        _ id: String, as key: PartyKey, to client: some TestClientProtocol
    ) async throws
        -> HTTPResponse
        .Status
    {
        let at = try #require(MEFDateTimeInstant.parse("2026-02-05T09:00:00Z"))
        let answer = Reconciliation(
            invoiceID: id, outcome: .final, agreedItems: ["1"], agreedAmount: Money(minorUnits: 7_333), disputed: [],
            at: at)
        let body = try JSONEncoder().encode(SupplyEnvelope(message: .reconciliation(answer)))
        return try await BillingRouteTests.post(
            NodeRoutes.customerBillPath + "/" + id + "/reconciliation", body: body, as: key, to: client
        ).0
    }

    static func pay(
        _ id: String, as key: PartyKey, to client: some TestClientProtocol
    ) async throws
        -> HTTPResponse
        .Status
    {
        let payment = Payment(
            invoiceID: id, amount: Money(minorUnits: 7_333),
            method: PaymentMethod(kind: .fiat, asset: "EUR", network: nil),
            dueDate: try #require(MEFDateTimeInstant.parse("2026-02-19T09:00:00Z")),
            paidAt: try #require(MEFDateTimeInstant.parse("2026-02-06T09:00:00Z")))
        let body = try JSONEncoder().encode(SupplyEnvelope(message: .payment(payment)))
        return try await BillingRouteTests.post(
            NodeRoutes.customerBillPath + "/" + id + "/payment", body: body, as: key, to: client
        ).0
    }

    @Test(
        "a plain buyer's billing hub hears its new bill as a valid customerBillCreateEvent naming the bill it then reads, and the bill's state changes; once deleted, nothing more"
    )
    func hubHearsItsBills() async throws {
        let heard = Heard()
        try await Self.listening(heard) { port in
            let fixture = try Self.fixture(port: port)
            try await Self.running(fixture) {
                try await fixture.server.application().test(.router) { client in
                    let (created, hub) = try await Self.register(
                        #"{"callback":"http://127.0.0.1:\#(port)/shop"}"#, as: fixture.buyer, to: client)
                    #expect(created == .created)
                    #expect(Self.schema.validate(hub, against: "EventSubscription") == [])
                    #expect(hub["id"] == "SELLER-billing-hub-1")
                    #expect(hub["callback"]?.stringValue == "http://127.0.0.1:\(port)/shop")
                    let (read, same) = try await OrderRouteTests.send(
                        .get, NodeRoutes.billingHubPath + "/SELLER-billing-hub-1", as: fixture.buyer, to: client)
                    #expect(read == .ok)
                    #expect(same == hub)

                    // The clock passes the first 30-day cycle: the S-BUS bills BUYER's EPL.
                    let id = try await BillingRouteTests.billed(fixture, client: client)
                    #expect(id == "SELLER-bill-4")
                    try await heard.wait(for: 1)
                    let create = try #require(heard.all.first)
                    #expect(heard.all.count == 1)
                    #expect(create.type == "customerBillCreateEvent")
                    let violations = Self.notificationSchema.validate(create.body, against: "CustomerBillEvent")
                    #expect(violations.isEmpty, "\(violations)")
                    #expect(create.body["eventType"] == "customerBillCreateEvent")
                    #expect(create.body["eventTime"] == "2026-02-04T09:00:00Z")
                    #expect(create.body["event"]?["id"] == "SELLER-bill-4")
                    #expect(create.body["event"]?["buyerId"] == "BUYER")
                    #expect(create.body["event"]?["sellerId"] == "SELLER")
                    let href = try #require(create.body["event"]?["href"]?.stringValue)
                    #expect(href == "http://127.0.0.1:0" + NodeRoutes.customerBillPath + "/SELLER-bill-4")

                    // The bill the event names, read by its buyer: 110.00 EUR a month × 20 of 30 days = 73.33 EUR.
                    let (status, bill) = try await OrderRouteTests.send(
                        .get, String(href.dropFirst("http://127.0.0.1:0".count)), as: fixture.buyer, to: client)
                    #expect(status == .ok)
                    #expect(bill["id"]?.stringValue == id)
                    #expect(bill["amountDue"] == ["unit": "EUR", "value": 73.33])
                    #expect(bill["state"] == "generated")

                    // The buyer agrees it: generated → paymentDue, heard as a state change.
                    #expect(try await Self.answer(id, as: fixture.buyer, to: client) == .noContent)
                    try await heard.wait(for: 2)
                    #expect(heard.all.count == 2)
                    let change = try #require(heard.all.last)
                    #expect(change.type == "customerBillStateChangeEvent")
                    #expect(Self.notificationSchema.validate(change.body, against: "CustomerBillEvent") == [])
                    #expect(change.body["event"]?["id"]?.stringValue == id)
                    #expect(change.body["eventId"] == "SELLER-bill-4-event-2")
                    #expect(try await BillingRouteTests.state(id, fixture, client) == "paymentDue")

                    // Hub removed: the payment settles the bill, and no listener hears of it.
                    let (deleted, _) = try await OrderRouteTests.send(
                        .delete, NodeRoutes.billingHubPath + "/SELLER-billing-hub-1", as: fixture.buyer, to: client)
                    #expect(deleted == .noContent)
                    #expect(try await Self.pay(id, as: fixture.buyer, to: client) == .noContent)
                    #expect(try await BillingRouteTests.state(id, fixture, client) == "settled")
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(heard.all.count == 2)
                }
            }
        }
    }

    @Test(
        "a hub asking only for customerBillStateChangeEvent hears no creation; the settling payment is heard as a state change"
    )
    func queryFiltersEventTypes() async throws {
        let heard = Heard()
        try await Self.listening(heard) { port in
            let fixture = try Self.fixture(port: port)
            try await Self.running(fixture) {
                try await fixture.server.application().test(.router) { client in
                    let (created, hub) = try await Self.register(
                        #"{"callback":"http://127.0.0.1:\#(port)/shop","query":"eventType=customerBillStateChangeEvent"}"#,
                        as: fixture.buyer, to: client)
                    #expect(created == .created)
                    #expect(hub["query"] == "eventType=customerBillStateChangeEvent")
                    let id = try await BillingRouteTests.billed(fixture, client: client)
                    #expect(try await Self.answer(id, as: fixture.buyer, to: client) == .noContent)
                    #expect(try await Self.pay(id, as: fixture.buyer, to: client) == .noContent)
                    try await heard.wait(for: 2)
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(
                        heard.all.map { $0.type } == ["customerBillStateChangeEvent", "customerBillStateChangeEvent"])
                    #expect(heard.all.map { $0.body["event"]?["id"]?.stringValue } == [id, id])
                    // Two deliveries in flight at once may arrive in either order.
                    #expect(
                        heard.all.compactMap { $0.body["eventId"]?.stringValue }.sorted() == [
                            id + "-event-2", id + "-event-3",
                        ])
                }
            }
        }
    }

    @Test(
        "bad hub registrations get 400 invalidBody naming the field (the billing yaml has no 422); another buyer's hub is 403, an unknown one 404; nothing changes"
    )
    func badRequests() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let cases: [(String, String)] = [
                (#"{}"#, "/callback"),
                (#"{"query":"eventType=customerBillCreateEvent"}"#, "/callback"),
                (#"{"callback":5}"#, "/callback"),
                (#"{"callback":""}"#, "/callback"),
                (#"{"callback":"https://evil.example/listener"}"#, "/callback"),
                (#"{"callback":"https://buyer.example/l","query":7}"#, "/query"),
                (#"{"callback":"https://buyer.example/l","query":"eventType=productOrderStateChangeEvent"}"#, "/query"),
                (#"["https://buyer.example/l"]"#, ""),
            ]
            for (body, field) in cases {
                let (status, error) = try await Self.register(body, as: fixture.buyer, to: client)
                #expect(status == .badRequest, "\(body)")
                #expect(error["code"] == "invalidBody", "\(body)")
                #expect(error["propertyPath"]?.stringValue == field, "\(body)")
                #expect(Self.schema.validate(error, against: "Error400") == [], "\(body)")
            }
            // None of them was registered: the first good one is hub 1.
            let (none, _) = try await OrderRouteTests.send(
                .get, NodeRoutes.billingHubPath + "/SELLER-billing-hub-1", as: fixture.buyer, to: client)
            #expect(none == .notFound)
            let (created, hub) = try await Self.register(
                #"{"callback":"https://hooks.buyer.example/sonata/billing","query":""}"#, as: fixture.buyer,
                to: client)
            #expect(created == .created)
            #expect(hub["id"] == "SELLER-billing-hub-1")

            let path = NodeRoutes.billingHubPath + "/SELLER-billing-hub-1"
            let (theirsRead, readError) = try await OrderRouteTests.send(.get, path, as: fixture.other, to: client)
            #expect(theirsRead == .forbidden)
            #expect(Self.schema.validate(readError, against: "Error403") == [])
            let (theirsDelete, deleteError) = try await OrderRouteTests.send(
                .delete, path, as: fixture.other, to: client)
            #expect(theirsDelete == .forbidden)
            #expect(Self.schema.validate(deleteError, against: "Error403") == [])
            let (unknown, unknownError) = try await OrderRouteTests.send(
                .delete, NodeRoutes.billingHubPath + "/SELLER-billing-hub-9", as: fixture.buyer, to: client)
            #expect(unknown == .notFound)
            #expect(Self.schema.validate(unknownError, against: "Error404") == [])
            let (still, kept) = try await OrderRouteTests.send(.get, path, as: fixture.buyer, to: client)
            #expect(still == .ok)
            #expect(kept == hub)
            // EventSubscriptionInput is open in the yaml (no additionalProperties: false): an unknown field is
            // accepted and not kept.
            let (open, extra) = try await Self.register(
                #"{"callback":"https://buyer.example/billing","x-note":"ours"}"#, as: fixture.buyer, to: client)
            #expect(open == .created)
            #expect(extra == ["id": "SELLER-billing-hub-2", "callback": "https://buyer.example/billing"])
        }
    }

    @Test("a restarted node keeps its billing hubs (and forgets the deleted one) and notifies them of the next bill")
    func restartKeepsHubs() async throws {
        let heard = Heard()
        try await Self.listening(heard) { port in
            let fixture = try Self.fixture(port: port)
            try await fixture.server.application().test(.router) { client in
                let (first, _) = try await Self.register(
                    #"{"callback":"https://hooks.buyer.example/sonata/billing"}"#, as: fixture.buyer, to: client)
                #expect(first == .created)
                let (second, _) = try await Self.register(
                    #"{"callback":"http://127.0.0.1:\#(port)/shop","query":"eventType=customerBillCreateEvent"}"#,
                    as: fixture.buyer, to: client)
                #expect(second == .created)
                let (deleted, _) = try await OrderRouteTests.send(
                    .delete, NodeRoutes.billingHubPath + "/SELLER-billing-hub-1", as: fixture.buyer, to: client)
                #expect(deleted == .noContent)
            }
            // As after a crash: a new server on the same configuration and files.
            let restarted = try Self.fixture(port: port, restarting: fixture)
            #expect(try await restarted.server.node.restore() == 3)
            try await Self.running(restarted) {
                try await restarted.server.application().test(.router) { client in
                    let (gone, _) = try await OrderRouteTests.send(
                        .get, NodeRoutes.billingHubPath + "/SELLER-billing-hub-1", as: restarted.buyer, to: client)
                    #expect(gone == .notFound)
                    let (kept, hub) = try await OrderRouteTests.send(
                        .get, NodeRoutes.billingHubPath + "/SELLER-billing-hub-2", as: restarted.buyer, to: client)
                    #expect(kept == .ok)
                    #expect(hub["query"] == "eventType=customerBillCreateEvent")
                    // A new hub continues the numbering.
                    let (third, next) = try await Self.register(
                        #"{"callback":"https://buyer.example/billing","query":"eventType=customerBillStateChangeEvent"}"#,
                        as: restarted.buyer, to: client)
                    #expect(third == .created)
                    #expect(next["id"] == "SELLER-billing-hub-3")

                    let id = try await BillingRouteTests.billed(restarted, client: client)
                    try await heard.wait(for: 1)
                    #expect(heard.all.map { $0.type } == ["customerBillCreateEvent"])
                    #expect(heard.all.first?.body["event"]?["id"]?.stringValue == id)
                    let (status, bill) = try await OrderRouteTests.send(
                        .get, NodeRoutes.customerBillPath + "/" + id, as: restarted.buyer, to: client)
                    #expect(status == .ok)
                    #expect(bill["amountDue"] == ["unit": "EUR", "value": 73.33])
                }
            }
        }
    }
}
