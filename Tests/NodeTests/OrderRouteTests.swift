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

/// Quotes (v8) and product orders (v10) on a live node, on a stepped clock the test moves (BUYER controls it).
@Suite(.serialized)
struct OrderRouteTests {
    static let start = "2026-01-05T09:00:00Z"

    /// The MEF Sonata Quote v8 and Product Order v10 schemas.
    static let quoteSchema = schema("quoteManagement.api")
    static let orderSchema = schema("productOrderManagement.api")

    static func schema(_ name: String) -> OpenAPISchemaValidator {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Fixtures"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let validator = try? OpenAPISchemaValidator(specYAML: text)
        else { fatalError("\(name).yaml is missing from the test fixtures") }
        return validator
    }

    static func steppedFixture(callbacks: [String] = []) throws -> NodeRouteTests.Fixture {
        try NodeRouteTests.Fixture(
            clock: "{ mode: stepped, start: \"\(start)\", controller: BUYER }", callbacks: callbacks)
    }

    /// A deferred inquiry for one EPL at PARIS-1 (the fixture's catalog: EPL anywhere, cost 100, 10% markup).
    static let inquiry = SellerAnswerTests.poq(
        immediate: false, externalId: "shop-1", completion: "2026-01-05T10:00:00Z")

    static func plainOrder(quote: String, item: String) -> Data {
        let body: JSONValue = [
            "externalId": "shop-order-1",
            "relatedContactInformation": [
                [
                    "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
                    "role": "buyerContactInformation",
                ]
            ],
            "productOrderItem": [
                ["id": "1", "action": "add", "quoteItem": ["quoteId": .string(quote), "id": .string(item)]]
            ],
        ]
        return body.canonicalData
    }

    static func send(
        _ method: HTTPRequest.Method, _ path: String, body: Data = Data(), as key: PartyKey,
        to client: some TestClientProtocol, headers extra: [String: String] = [:]
    ) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        var headers = try NodeRouteTests.signed(method, path, body: body, key: key)
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: ByteBuffer(bytes: body))
        let data = Data(buffer: response.body)
        return (response.status, data.isEmpty ? .null : try JSONValue.parse(data))
    }

    /// Asks for the inquiry's quote, orders it a minute later as a plain Sonata order, then lets protocol time
    /// pass the ten-day lead time. Returns the quote id and the order as first answered.
    static func quoteAndDeliver(
        as buyer: PartyKey, client: some TestClientProtocol
    ) async throws -> (quoteID: String, order: JSONValue) {
        let (_, poq) = try await send(
            .post, NodeRoutes.poqPath, body: inquiry, as: buyer, to: client,
            headers: ["X-SCBroker-Request-Kind": "inquiry"])
        let quoteID = try #require(poq["id"]?.stringValue)
        try await advance(to: "2026-01-05T09:01:00Z", as: buyer, client: client)
        let (_, order) = try await send(
            .post, NodeRoutes.productOrderPath, body: plainOrder(quote: quoteID, item: "epl-1"), as: buyer,
            to: client)
        try await advance(to: "2026-01-16T09:00:00Z", as: buyer, client: client)
        return (quoteID, order)
    }

    static func advance(to instant: String, as key: PartyKey, client: some TestClientProtocol) async throws {
        let target = try #require(MEFDateTimeInstant.parse(instant))
        let body = try JSONEncoder().encode(["to": target])
        let (status, _) = try await send(.post, NodeRoutes.clockPath + "/advance", body: body, as: key, to: client)
        #expect(status == .ok)
    }

    @Test(
        "PDL-019 PDL-023 an inquiry's answer read as a Sonata quote (v8), ordered as a plain ProductOrder_Create: acknowledged, then completed once protocol time passes the lead time"
    )
    func quoteToCompletedOrder() async throws {
        let fixture = try Self.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (created, poq) = try await Self.send(
                .post, NodeRoutes.poqPath, body: Self.inquiry, as: fixture.buyer, to: client,
                headers: ["X-SCBroker-Request-Kind": "inquiry"])
            #expect(created == .created)
            let quoteID = try #require(poq["id"]?.stringValue)
            try await Self.advance(to: "2026-01-05T09:01:00Z", as: fixture.buyer, client: client)

            let (read, quote) = try await Self.send(
                .get, NodeRoutes.quotePath + "/" + quoteID, as: fixture.buyer, to: client)
            #expect(read == .ok)
            #expect(quote["state"]?.stringValue == "approved.orderable")
            let quoteViolations = Self.quoteSchema.validate(quote, against: "Quote")
            #expect(quoteViolations.isEmpty, "\(quoteViolations)")
            let item = try #require(quote["quoteItem"]?.arrayValue?.first)
            #expect(
                item["quoteItemPrice"]?.arrayValue?.first?["price"]?["dutyFreeAmount"]?["value"]?.numberValue == 110)
            #expect(item["quoteItemInstallationInterval"]?["amount"]?.numberValue == 10)
            let (theirs, _) = try await Self.send(
                .get, NodeRoutes.quotePath + "/" + quoteID, as: fixture.other, to: client)
            #expect(theirs == .forbidden)

            let (placed, order) = try await Self.send(
                .post, NodeRoutes.productOrderPath, body: Self.plainOrder(quote: quoteID, item: "epl-1"),
                as: fixture.buyer, to: client)
            #expect(placed == .created)
            let orderID = try #require(order["id"]?.stringValue)
            #expect(order["externalId"]?.stringValue == "shop-order-1")
            let orderViolations = Self.orderSchema.validate(order, against: "ProductOrder")
            #expect(orderViolations.isEmpty, "\(orderViolations)")
            #expect(["acknowledged", "inProgress"].contains(order["state"]?.stringValue ?? ""))
            #expect(order["productOrderItem"]?.arrayValue?.first?["quoteItem"]?["quoteId"]?.stringValue == quoteID)

            try await Self.advance(to: "2026-01-16T09:00:00Z", as: fixture.buyer, client: client)
            let (done, completed) = try await Self.send(
                .get, NodeRoutes.productOrderPath + "/" + orderID, as: fixture.buyer, to: client)
            #expect(done == .ok)
            #expect(completed["state"]?.stringValue == "completed")
            let completedViolations = Self.orderSchema.validate(completed, against: "ProductOrder")
            #expect(completedViolations.isEmpty, "\(completedViolations)")
            let (theirOrder, _) = try await Self.send(
                .get, NodeRoutes.productOrderPath + "/" + orderID, as: fixture.other, to: client)
            #expect(theirOrder == .forbidden)
            let (_, list) = try await Self.send(.get, NodeRoutes.productOrderPath, as: fixture.other, to: client)
            #expect(list == [])
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"broker_node_order_events_total{event="order.accepted"} 1"#))
            #expect(metrics.contains(#"broker_node_order_events_total{event="order.activated"} 1"#))
        }
    }

    @Test("PDL-020 a plain ProductOrder_Create on a POQ's answer is refused (422 on its quoteId), nothing recorded")
    func orderOnPOQAnswerRefused() async throws {
        let fixture = try Self.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (created, poq) = try await Self.send(
                .post, NodeRoutes.poqPath, body: Self.inquiry, as: fixture.buyer, to: client)
            #expect(created == .created)
            let poqID = try #require(poq["id"]?.stringValue)
            try await Self.advance(to: "2026-01-05T09:01:00Z", as: fixture.buyer, client: client)
            let before = fixture.server.node.ledgers.backlog
            let (status, refusal) = try await Self.send(
                .post, NodeRoutes.productOrderPath, body: Self.plainOrder(quote: poqID, item: "epl-1"),
                as: fixture.buyer, to: client)
            #expect(status == .unprocessableContent)
            let error = try #require(refusal.arrayValue?.first)
            #expect(error["message"]?.stringValue == "PDL-020")
            #expect(error["propertyPath"]?.stringValue == "/productOrderItem/0/quoteItem/quoteId")
            #expect(
                error["reason"]?.stringValue
                    == "PDL-020: \(poqID) is not a quote this provider gave BUYER: order against an inquiry's quote "
                    + "(a POQ's answer cannot be ordered)")
            #expect(fixture.server.node.ledgers.backlog == before)
        }
    }

    @Test(
        "restart: a node started again on its files remembers its quotes, orders and services in operation (the journal rebuilds the core)"
    )
    func restartRemembers() async throws {
        let fixture = try Self.steppedFixture()
        let ids = try await fixture.server.application().test(.router) { client -> (String, String) in
            let (quoteID, order) = try await Self.quoteAndDeliver(as: fixture.buyer, client: client)
            return (quoteID, try #require(order["id"]?.stringValue))
        }
        // As after a crash: a new server on the same configuration and files.
        let path = fixture.directory.appendingPathComponent("seller.yaml").path
        let restarted = try NodeServer(configuration: NodeConfiguration.load(path: path), logger: Logger(label: "test"))
        let queued = fixture.server.node.ledgers.backlog
        #expect(queued > 0)  // BUYER has no URL here: its entries were still waiting for its countersignature
        #expect(try await restarted.node.restore() > 0)
        // Those entries are proposed again (none is on BUYER's ledger); the SOF's ledger had them all.
        #expect(await restarted.node.reproposeMissing() == queued)
        #expect(restarted.node.ledgers.backlog == queued)
        // A stepped clock resumes at the last input it handled (the activation, ten days in), not at its start.
        #expect(restarted.node.clock.now() >= MEFDateTimeInstant.parse("2026-01-15T09:00:00Z")!)
        try await restarted.application().test(.router) { client in
            let (quoteStatus, quote) = try await Self.send(
                .get, NodeRoutes.quotePath + "/" + ids.0, as: fixture.buyer, to: client)
            #expect(quoteStatus == .ok)
            // Ordered before the restart: the quote is ACCEPTED (MEF 80), remembered by the replayed core.
            #expect(quote["state"]?.stringValue == "accepted")
            let (orderStatus, order) = try await Self.send(
                .get, NodeRoutes.productOrderPath + "/" + ids.1, as: fixture.buyer, to: client)
            #expect(orderStatus == .ok)
            #expect(order["state"]?.stringValue == "completed")
            // The service is still in operation: a bandwidth change is taken and completed, not rejected.
            let services = await restarted.node.serviceIDs(of: "BUYER")
            let serviceID = try #require(services.first)
            let now = restarted.node.clock.now()
            let change = OrderRequest(
                id: "shop-change-1", action: .change(serviceID: serviceID, ServiceChange(bandwidthMbps: 500)),
                acceptBy: now + .hours(1), activateBy: now + .days(30), term: nil)
            let body = try JSONEncoder().encode(SupplyEnvelope(message: .order(change)))
            let (placed, changed) = try await Self.send(
                .post, NodeRoutes.productOrderPath, body: body, as: fixture.buyer, to: client,
                headers: ["Content-Type": NodeHeaders.supplyChainMediaType])
            #expect(placed == .created)
            #expect(changed["state"]?.stringValue != "rejected", "\(changed)")
            try await Self.advance(to: "2026-01-17T09:00:00Z", as: fixture.buyer, client: client)
            let (_, done) = try await Self.send(
                .get, NodeRoutes.productOrderPath + "/" + (changed["id"]?.stringValue ?? ""), as: fixture.buyer,
                to: client)
            #expect(done["state"]?.stringValue == "completed", "\(done)")
        }
    }

    @Test(
        "a plain Sonata buyer's order hub (v10) gets a ProductOrderEvent for each state change it asked for, valid against the notification schema; DELETE removes it"
    )
    func orderHub() async throws {
        let captured = Captured()
        let other = Captured()
        let listener = Router(context: BasicRequestContext.self)
        listener.post("/shop/listener/{eventType}") { request, _ -> Response in
            captured.append(Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            return Response(status: .noContent)
        }
        listener.post("/other/listener/{eventType}") { request, _ -> Response in
            other.append(Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            return Response(status: .noContent)
        }
        let listening = Application(router: listener, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await listening.test(.live) { listenerClient in
            let port = try #require(listenerClient.port)
            let fixture = try Self.steppedFixture(callbacks: ["http://127.0.0.1:\(port)"])
            var service = fixture.server.service  // runs the node's jobs: the deliveries
            service.drainLimit = .zero
            let jobs = Task { try await service.run() }
            defer { jobs.cancel() }
            try await fixture.server.application().test(.router) { client in
                let input = Data(
                    #"{"callback":"http://127.0.0.1:\#(port)/shop","query":"eventType=productOrderStateChangeEvent"}"#
                        .utf8)
                let (created, hub) = try await Self.send(
                    .post, NodeRoutes.productOrderHubPath, body: input, as: fixture.buyer, to: client)
                #expect(created == .created)
                #expect(Self.orderSchema.validate(hub, against: "EventSubscription") == [])
                // A second listener that asks only for expected-date changes hears nothing of this order.
                let dates = Data(
                    #"{"callback":"http://127.0.0.1:\#(port)/other","query":"eventType=productOrderItemExpectedCompletionDateSet"}"#
                        .utf8)
                let (second, _) = try await Self.send(
                    .post, NodeRoutes.productOrderHubPath, body: dates, as: fixture.buyer, to: client)
                #expect(second == .created)
                let (_, order) = try await Self.quoteAndDeliver(as: fixture.buyer, client: client)
                await waitUntil { captured.all.count >= 2 }
                let events = try captured.all.map { try JSONValue.parse($0) }
                #expect(events.count == 2)  // accepted, activated: the state changes asked for
                #expect(other.all.isEmpty)
                let schema = Self.schema("productOrderNotification.api")
                for event in events {
                    #expect(event["eventType"]?.stringValue == "productOrderStateChangeEvent")
                    #expect(event["event"]?["id"] == order["id"])
                    let violations = schema.validate(event, against: "ProductOrderEvent")
                    #expect(violations.isEmpty, "\(violations)")
                }
                let id = try #require(hub["id"]?.stringValue)
                let (deleted, _) = try await Self.send(
                    .delete, NodeRoutes.productOrderHubPath + "/" + id, as: fixture.buyer, to: client)
                #expect(deleted == .noContent)
                let (again, _) = try await Self.send(
                    .delete, NodeRoutes.productOrderHubPath + "/" + id, as: fixture.buyer, to: client)
                #expect(again == .notFound)
            }
        }
    }

    final class Captured: Sendable {
        private let bodies = Mutex<[Data]>([])
        func append(_ body: Data) { bodies.withLock { $0.append(body) } }
        var all: [Data] { bodies.withLock { $0 } }
    }

    @Test("PDL-020 a plain order that references no quote of this buyer gets 422 naming the item; nothing recorded")
    func orderWithoutQuote() async throws {
        let fixture = try NodeRouteTests.Fixture()
        try await fixture.server.application().test(.router) { client in
            let (status, errors) = try await Self.send(
                .post, NodeRoutes.productOrderPath, body: Self.plainOrder(quote: "SELLER-quote-99", item: "epl-1"),
                as: fixture.buyer, to: client)
            #expect(status == .unprocessableContent)
            #expect(errors.arrayValue?.first?["propertyPath"]?.stringValue == "/productOrderItem/0/quoteItem/quoteId")
            #expect(errors.arrayValue?.first?["message"]?.stringValue == "PDL-020")
            #expect(Self.orderSchema.validate(errors, againstArrayOf: "Error422") == [])
        }
        #expect(try fixture.ledgerCount() == 0)
    }

    @Test("the stepped clock's routes answer its controller only (403 for others); a wall-clock node has none (404)")
    func clockRoutes() async throws {
        let stepped = try Self.steppedFixture()
        try await stepped.server.application().test(.router) { client in
            let (mine, activity) = try await Self.send(.get, NodeRoutes.clockPath, as: stepped.buyer, to: client)
            #expect(mine == .ok)
            #expect(activity["now"]?["milliseconds"]?.numberValue == 1_767_603_600_000)
            let (theirs, _) = try await Self.send(.get, NodeRoutes.clockPath, as: stepped.other, to: client)
            #expect(theirs == .forbidden)
        }
        let wall = try NodeRouteTests.Fixture()
        try await wall.server.application().test(.router) { client in
            let (status, _) = try await Self.send(.get, NodeRoutes.clockPath, as: wall.buyer, to: client)
            #expect(status == .notFound)
        }
    }

    @Test("a stepped clock runs what is due in time order, each at its own time, and nothing later")
    func steppedClock() async throws {
        let start = SupplyChain.Instant(milliseconds: 1_000)
        let clock = SteppedClock(start: start)
        let log = Log()
        clock.schedule(at: start + .seconds(2)) { log.append("late@\(clock.now().milliseconds)") }
        clock.schedule(at: start + .seconds(1)) { log.append("first@\(clock.now().milliseconds)") }
        clock.schedule(at: start + .seconds(1)) {
            log.append("second@\(clock.now().milliseconds)")
            clock.schedule(at: clock.now()) { log.append("chained@\(clock.now().milliseconds)") }
        }
        await clock.advance(to: start + TimeSpan(milliseconds: 1_500))
        #expect(log.entries == ["first@2000", "second@2000", "chained@2000"])
        #expect(clock.now() == start + TimeSpan(milliseconds: 1_500))
        #expect(clock.nextDeadline == start + .seconds(2))
    }

    @Test(
        "a clock set without running (a cluster step's first phase) is at its new time with what is due still waiting; the second phase runs it at that time"
    )
    func clockSetThenRun() async throws {
        let start = SupplyChain.Instant(milliseconds: 1_000)
        let clock = SteppedClock(start: start)
        let log = Log()
        clock.schedule(at: start + .seconds(1)) { log.append("due@\(clock.now().milliseconds)") }
        clock.move(to: start + .seconds(1))
        #expect(clock.now() == SupplyChain.Instant(milliseconds: 2_000))
        #expect(log.entries.isEmpty)
        #expect(clock.nextDeadline == SupplyChain.Instant(milliseconds: 2_000))
        clock.move(to: start)
        #expect(clock.now() == SupplyChain.Instant(milliseconds: 2_000))
        await clock.advance(to: start + .seconds(1))
        #expect(log.entries == ["due@2000"])
        #expect(clock.nextDeadline == nil)
    }

    final class Log: Sendable {
        private let items = Mutex<[String]>([])
        func append(_ item: String) { items.withLock { $0.append(item) } }
        var entries: [String] { items.withLock { $0 } }
    }
}

/// RFC 3339 text to protocol time, for the tests.
enum MEFDateTimeInstant {
    static func parse(_ text: String) -> Instant? {
        MEFDateTime(text: text).map { Instant($0.date) }
    }
}

/// Every order state and notice a node can show, against the Sonata v10 schemas.
struct OrderRenderingTests {
    static let events: [OrderEvent] = [
        .accepted, .rejected("PDL-023: expired"), .activated(serviceID: "S-svc-1"), .failed("PDL-048: test failed"),
        .cancelled("abandoned"), .extensionRequested(until: Instant(milliseconds: 1_800_000_000_000)),
        .windowChanged(until: Instant(milliseconds: 1_800_000_000_000)), .extensionRefused,
        .changeQuoted(price: Money(amount: 145.2), outage: .hours(4)),
        .outageScheduled(from: Instant(milliseconds: 1_790_000_000_000), duration: .hours(4)),
        .changed(serviceID: "S-svc-1"),
        .renewed(
            serviceID: "S-svc-1",
            ProductTerm(
                start: Instant(milliseconds: 1_790_000_000_000), end: Instant(milliseconds: 1_850_000_000_000),
                endOfTermAction: .autoRenew)),
        .disconnected(serviceID: "S-svc-1"),
    ]

    static func resource(_ action: OrderAction, notices events: [OrderEvent]) -> ProviderNode.OrderResource {
        let start = Instant(milliseconds: 1_767_603_600_000)
        let order = OrderRequest(
            id: "SHOP-line-order", action: action, acceptBy: start + .hours(1), activateBy: start + .days(30),
            term: nil)
        var resource = ProviderNode.OrderResource(id: "S-order-1", buyer: "SHOP", request: order, receivedAt: start)
        for (index, event) in events.enumerated() {
            resource.notices.append(
                OrderNotice(
                    orderID: order.id, sellerOrderReference: "S-order-1", event: event,
                    at: start + .minutes(Int64(index + 1))))
        }
        return resource
    }

    static let provide = OrderAction.provide(
        quoteReference: "S-quote-1",
        items: [
            [
                "id": "access", "action": "add",
                "product": [
                    "productOffering": ["id": "ACCESS-EPL"],
                    "productConfiguration": ["@type": "urn:scbroker:product:v1", "bandwidthMbps": 100],
                    "place": [["@type": "GeographicSiteRef", "id": "LYON-1", "role": "INSTALL_LOCATION"]],
                ],
            ]
        ])

    @Test("every order state renders as a ProductOrder valid against the v10 schema", arguments: [0, 1, 2, 3, 5, 13])
    func orderStates(notices: Int) throws {
        for action in [Self.provide, .change(serviceID: "S-svc-1", ServiceChange(bandwidthMbps: 500))] {
            let resource = Self.resource(action, notices: Array(Self.events.prefix(notices)))
            let body = try JSONValue(encoding: resource.sonata(href: "http://seller.example/productOrder"))
            let violations = OrderRouteTests.orderSchema.validate(body, against: "ProductOrder")
            #expect(violations.isEmpty, "\(violations)")
        }
        let expected: [Int: String] = [
            0: "acknowledged", 1: "inProgress", 2: "inProgress", 3: "completed", 5: "cancelled", 13: "completed",
        ]
        #expect(
            Self.resource(Self.provide, notices: Array(Self.events.prefix(notices))).state.rawValue == expected[notices]
        )
    }

    @Test("every order notice renders as a ProductOrderEvent valid against the v10 notification schema")
    func orderEvents() throws {
        let schema = OrderRouteTests.schema("productOrderNotification.api")
        let resource = Self.resource(Self.provide, notices: Self.events)
        var types: Set<String> = []
        for notice in resource.notices {
            let event = resource.event(for: notice, href: "http://seller.example/productOrder")
            types.insert(event.eventType.rawValue)
            let violations = schema.validate(try JSONValue(encoding: event), against: "ProductOrderEvent")
            #expect(violations.isEmpty, "\(notice.event): \(violations)")
        }
        #expect(
            types == [
                "productOrderStateChangeEvent", "productOrderItemExpectedCompletionDateSet",
                "productSpecificProductOrderItemMilestoneEvent",
            ])
    }
}
