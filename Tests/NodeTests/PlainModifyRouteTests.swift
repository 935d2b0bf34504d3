import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import ScenarioModel
import Simulation
import Sonata
import SupplyChain
import Testing

@testable import Node

/// Sonata Product Order v10 `modify` items from a plain buyer: a bandwidth change, a relocation and a renewal of its
/// product, each a ProductOrder valid against the v10 schema and seen in the product inventory; bad modify items get
/// 422 naming the field and record nothing.
@Suite(.serialized)
struct PlainModifyRouteTests {
    /// A ProductOrder_Create with one `modify` item on `product`.
    static func modify(
        _ product: String, externalId: String, bandwidth: Int? = nil, place: String? = nil, term: JSONValue? = nil
    ) -> Data {
        var productValue: [String: JSONValue] = ["id": .string(product)]
        if let bandwidth {
            productValue["productConfiguration"] = [
                "@type": "urn:scbroker:product:v1", "bandwidthMbps": .number(Double(bandwidth)),
            ]
        }
        if let place {
            productValue["place"] = [["@type": "GeographicSiteRef", "id": .string(place), "role": "INSTALL_LOCATION"]]
        }
        var item: [String: JSONValue] = ["id": "1", "action": "modify", "product": .object(productValue)]
        if let term { item["requestedItemTerm"] = term }
        let body: JSONValue = [
            "externalId": .string(externalId),
            "relatedContactInformation": [
                [
                    "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
                    "role": "buyerContactInformation",
                ]
            ],
            "productOrderItem": [.object(item)],
        ]
        return body.canonicalData
    }

    /// Places a modify order and checks the answer against the v10 schema; returns its id.
    static func place(
        _ body: Data, _ fixture: NodeRouteTests.Fixture, client: some TestClientProtocol
    ) async throws -> String {
        let (status, order) = try await OrderRouteTests.send(
            .post, NodeRoutes.productOrderPath, body: body, as: fixture.buyer, to: client)
        #expect(status == .created)
        #expect(order["state"] != "rejected", "\(order)")
        #expect(order["productOrderItem"]?.arrayValue?.first?["action"] == "modify")
        let violations = OrderRouteTests.orderSchema.validate(order, against: "ProductOrder")
        #expect(violations.isEmpty, "\(violations)")
        return try #require(order["id"]?.stringValue)
    }

    /// The order as it stands: its state and the notices it got, by ledger kind.
    static func read(
        _ id: String, _ fixture: NodeRouteTests.Fixture, client: some TestClientProtocol
    ) async throws -> (state: String?, notices: [String]) {
        let (_, order) = try await OrderRouteTests.send(
            .get, NodeRoutes.productOrderPath + "/" + id, as: fixture.buyer, to: client)
        #expect(OrderRouteTests.orderSchema.validate(order, against: "ProductOrder") == [])
        return (
            order["state"]?.stringValue,
            order["stateChange"]?.arrayValue?.compactMap { $0["changeReason"]?.stringValue } ?? []
        )
    }

    /// The plain client's scenario for the simulator: the fixture's seller (EPL anywhere, cost 100, a change fee of
    /// 50, 10% markup, 100 ms to answer), the same quote and order (a year's term renewing itself), a bandwidth
    /// change to 500 Mbit/s, a move to LYON-1, a renewal for two years ending in a disconnection, then a delete
    /// ordered for a later date. The live test picks its own instants on its stepped clock; the simulator's buyer
    /// acts the given time after activation.
    static let scenario = """
        name: plain-sonata-buyer
        seed: 1
        defaults: { latency: 0ms, processingTime: 100ms }
        providers:
          - id: SELLER
            markup: 10%
            catalog: [{ offering: EPL, places: ["*"], cost: 100, changeFee: 50 }]
        demand:
          - id: line
            buyer: BUYER
            seller: SELLER
            kind: inquiry
            items: [{ id: epl-1, offering: EPL, place: PARIS-1, bandwidthMbps: 100 }]
            order:
              after: 1m
              term: 360d
              endOfTermAction: autoRenew
              changes:
                - { after: 1d, bandwidthMbps: 500 }
                - { after: 2d, place: LYON-1 }
              renew: { after: 5d, term: 720d, endOfTermAction: autoDisconnect }
              disconnect: { after: 5d, effective: 12d }
        runFor: 60d
        """

    /// A term as the simulator reports it (`<start> to <end> (<endOfTermAction>)`): its length in whole days and
    /// its end-of-term action.
    static func term(_ text: String) -> (days: Double, action: String)? {
        let parts = text.split(separator: " ")
        guard parts.count == 4, let start = MEFDateTime(text: String(parts[0])),
            let end = MEFDateTime(text: String(parts[2]))
        else { return nil }
        return (end.date.timeIntervalSince(start.date) / 86_400, String(parts[3].dropFirst().dropLast()))
    }

    @Test(
        "PDL-116 PDL-117 PDL-118 a plain buyer changes its product's bandwidth, relocates it (priced, its outage announced), renews it with modify items and disconnects it with a delete item; the inventory shows each, with both terms oldest first; prices, outages, terms and states are the simulator's for the same scenario"
    )
    func changeRelocateRenew() async throws {
        let simulated = try Simulator(
            plan: SimulationPlan(ScenarioLoader.parse(Self.scenario), directory: FileManager.default.temporaryDirectory)
        ).run()
        let expected = try #require(simulated.demands.first)
        let expectedOrder = try #require(expected.order)
        // What the scenario gives: 100 × 1.10 a month; each change 50 × 1.10; a move's 4-hour outage (the catalog's
        // default), none for a bandwidth change; a 360-day term renewing itself, then 720 days ending in a
        // disconnection; the service disconnected in the end.
        #expect(expected.totalPrice == 110)
        #expect(expectedOrder.changePrices == [55, 55])
        #expect(expectedOrder.outages == ["0ms", "4h"])
        #expect(expectedOrder.changesCompleted == 2)
        let simulatedTerms = expectedOrder.terms.compactMap(Self.term)
        #expect(simulatedTerms.map(\.days) == [360, 720])
        #expect(simulatedTerms.map(\.action) == ["autoRenew", "autoDisconnect"])
        #expect(expectedOrder.state == "DISCONNECTED")
        #expect(expectedOrder.serviceStates == ["SELLER": "terminated"])

        // The buyer's listener: every order notification, checked against the v10 notification schema.
        let captured = OrderRouteTests.Captured()
        let listener = Router(context: BasicRequestContext.self)
        listener.post("/shop/listener/{eventType}") { request, _ -> Response in
            captured.append(Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            return Response(status: .noContent)
        }
        let listening = Application(router: listener, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await listening.test(.live) { listenerClient in
            let port = try #require(listenerClient.port)
            let fixture = try NodeRouteTests.Fixture(
                clock: "{ mode: stepped, start: \"\(OrderRouteTests.start)\", controller: BUYER }",
                callbacks: ["http://127.0.0.1:\(port)"],
                catalog: #"{ offering: EPL, places: ["*"], cost: 100, changeFee: 50 }"#)
            var service = fixture.server.service  // runs the node's jobs: the deliveries
            service.drainLimit = .zero
            let jobs = Task { try await service.run() }
            defer { jobs.cancel() }
            try await fixture.server.application().test(.router) { client in
                let hub = Data(#"{"callback":"http://127.0.0.1:\#(port)/shop"}"#.utf8)
                let (registered, _) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderHubPath, body: hub, as: fixture.buyer, to: client)
                #expect(registered == .created)
                let (orderID, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
                // The quote's monthly price and the lead time from order to activation: the simulator's.
                var product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
                let monthly = product["productPrice"]?.arrayValue?.first { $0["priceType"] == "recurring" }
                #expect(monthly?["price"]?["dutyFreeAmount"]?["value"]?.numberValue == expected.totalPrice)
                let (_, provide) = try await OrderRouteTests.send(
                    .get, NodeRoutes.productOrderPath + "/" + orderID, as: fixture.buyer, to: client)
                let ordered = try #require(provide["orderDate"]?.stringValue.flatMap { MEFDateTime(text: $0) })
                let started = try #require(product["startDate"]?.stringValue.flatMap { MEFDateTime(text: $0) })
                let simulatedStart = try #require(
                    expectedOrder.terms.first.flatMap { MEFDateTime(text: String($0.prefix { $0 != " " })) })
                let simulatedActivation = try #require(expectedOrder.activatedAt.flatMap { MEFDateTime(text: $0) })
                #expect(
                    started.date.timeIntervalSince(ordered.date)
                        == simulatedActivation.date.timeIntervalSince(simulatedStart.date))

                let bandwidth = try await Self.place(
                    Self.modify(productID, externalId: "shop-change-1", bandwidth: 500), fixture, client: client)
                try await OrderRouteTests.advance(to: "2026-01-17T09:00:00Z", as: fixture.buyer, client: client)
                let changed = try await Self.read(bandwidth, fixture, client: client)
                #expect(changed.state == "completed", "\(changed)")
                #expect(changed.notices.contains("change.quoted"))
                product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
                #expect(product["productConfiguration"]?["bandwidthMbps"]?.numberValue == 500)

                let relocation = try await Self.place(
                    Self.modify(productID, externalId: "shop-move-1", place: "LYON-1"), fixture, client: client)
                try await OrderRouteTests.advance(to: "2026-01-20T09:00:00Z", as: fixture.buyer, client: client)
                let moved = try await Self.read(relocation, fixture, client: client)
                #expect(moved.state == "completed", "\(moved)")
                #expect(moved.notices.contains("change.quoted"))
                #expect(moved.notices.contains("change.outage_scheduled"))
                product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
                #expect(product["relatedSite"]?.arrayValue?.first?["id"] == "LYON-1")

                // Each change's price and outage, as the order's milestones and the product's one-off prices show
                // them: the simulator's.
                var milestones: [JSONValue] = []
                for id in [bandwidth, relocation] {
                    let (_, order) = try await OrderRouteTests.send(
                        .get, NodeRoutes.productOrderPath + "/" + id, as: fixture.buyer, to: client)
                    milestones += order["productOrderItem"]?.arrayValue?.first?["milestone"]?.arrayValue ?? []
                }
                let quotedNotes = milestones.filter { $0["name"] == "change.quoted" }.compactMap {
                    $0["note"]?.stringValue
                }
                #expect(
                    quotedNotes
                        == zip(expectedOrder.changePrices, expectedOrder.outages).map {
                            "price \(String(format: "%.2f", $0)) EUR; outage \($1)"
                        })
                #expect(quotedNotes == ["price 55.00 EUR; outage 0ms", "price 55.00 EUR; outage 4h"])
                let outage = milestones.filter { $0["name"] == "change.outage_scheduled" }
                #expect(outage.compactMap { $0["note"]?.stringValue } == ["outage \(expectedOrder.outages[1])"])
                // The outage window lies after the relocation was ordered and before it completed.
                let window = try #require(outage.first?["date"]?.stringValue.flatMap { MEFDateTime(text: $0) })
                #expect(window.date > MEFDateTime(text: "2026-01-17T09:00:00Z")!.date)
                #expect(window.date < MEFDateTime(text: "2026-01-20T09:00:00Z")!.date)
                // The move's outage window from the moment the relocation was ordered: the simulator's (whose
                // buyer orders it 2 days after activation), one processing time (100 ms) after the order came.
                let simulatedWindow = try #require(expectedOrder.changeOutages.first)
                #expect(expectedOrder.changeOutages.count == 1)
                #expect(simulatedWindow.hasPrefix("4h from "))
                let simulatedOutage = try #require(MEFDateTime(text: String(simulatedWindow.dropFirst(8))))
                let (_, moveOrder) = try await OrderRouteTests.send(
                    .get, NodeRoutes.productOrderPath + "/" + relocation, as: fixture.buyer, to: client)
                let moveOrdered = try #require(moveOrder["orderDate"]?.stringValue.flatMap { MEFDateTime(text: $0) })
                let liveLead = window.date.timeIntervalSince(moveOrdered.date)
                let simulatedLead = simulatedOutage.date.timeIntervalSince(
                    simulatedActivation.date.addingTimeInterval(2 * 86_400))
                #expect(liveLead == simulatedLead)
                #expect((liveLead * 1000).rounded() == 100)
                let oneOff = product["productPrice"]?.arrayValue?.filter { $0["priceType"] == "nonRecurring" } ?? []
                #expect(
                    oneOff.compactMap { $0["price"]?["dutyFreeAmount"]?["value"]?.numberValue }
                        == expectedOrder.changePrices)

                let term: JSONValue = [
                    "name": "Two years", "duration": ["amount": 24, "units": "calendarMonths"],
                    "endOfTermAction": "autoDisconnect",
                ]
                let renewal = try await Self.place(
                    Self.modify(productID, externalId: "shop-renewal-1", term: term), fixture, client: client)
                #expect(try await Self.read(renewal, fixture, client: client).state == "completed")
                product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
                let terms = product["productTerm"]?.arrayValue ?? []
                #expect(terms.map { $0["endOfTermAction"]?.stringValue } == ["autoRenew", "autoDisconnect"])
                #expect(terms.map { $0["duration"]?["amount"]?.numberValue } == [360, 720])
                #expect(terms.compactMap { $0["endOfTermAction"]?.stringValue } == simulatedTerms.map(\.action))
                #expect(terms.compactMap { $0["duration"]?["amount"]?.numberValue } == simulatedTerms.map(\.days))
                let (_, renewed) = try await OrderRouteTests.send(
                    .get, NodeRoutes.productOrderPath + "/" + renewal, as: fixture.buyer, to: client)
                let renewedTerm = renewed["productOrderItem"]?.arrayValue?.first?["itemTerm"]?.arrayValue?.first
                #expect(renewedTerm?["duration"]?["amount"]?.numberValue == simulatedTerms.last?.days)
                #expect(renewedTerm?["endOfTermAction"]?.stringValue == simulatedTerms.last?.action)
                #expect(
                    product["productOrderItem"]?.arrayValue?.compactMap { $0["productOrderId"]?.stringValue }.suffix(3)
                        == [bandwidth, relocation, renewal])

                // The end of its life: a delete item for 2026-02-01, carried out at that date; both terms stay listed.
                let (status, placed) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderPath,
                    body: try PlainDeleteRouteTests.delete(
                        productID, externalId: "shop-end-1", at: "2026-02-01T00:00:00Z"),
                    as: fixture.buyer, to: client)
                #expect(status == .created)
                let disconnection = try #require(placed["id"]?.stringValue)
                try await OrderRouteTests.advance(to: "2026-02-02T00:00:00Z", as: fixture.buyer, client: client)
                let ended = try await Self.read(disconnection, fixture, client: client)
                #expect(ended.state == "completed", "\(ended)")
                #expect(ended.notices == ["order.accepted", "service.disconnected"])
                product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
                #expect(product["status"] == "terminated")
                #expect(product["productTerm"]?.arrayValue?.count == 2)
                #expect(product["productTerm"]?.arrayValue?.count == expectedOrder.terms.count)
                #expect(expectedOrder.serviceStates["SELLER"] == product["status"]?.stringValue)

                // Every notification the buyer's listener got is a valid ProductOrderEvent; the milestones are the
                // two changes' prices and the move's outage.
                let schema = OrderRouteTests.schema("productOrderNotification.api")
                await waitUntil { captured.all.count >= 10 }
                let events = try captured.all.map { try JSONValue.parse($0) }
                // The add order's accepted and activated, each change's and the renewal's completion, the delete's
                // accepted and disconnected; three milestones.
                #expect(events.count == 10)
                for event in events {
                    let violations = schema.validate(event, against: "ProductOrderEvent")
                    #expect(violations.isEmpty, "\(violations)")
                }
                let milestoneEvents = events.filter {
                    $0["eventType"] == "productSpecificProductOrderItemMilestoneEvent"
                }
                // Deliveries run concurrently: compared per order, whatever order they arrived in.
                let milestonesByOrder = milestoneEvents.compactMap { event -> String? in
                    guard let id = event["event"]?["id"]?.stringValue,
                        let name = event["event"]?["milestoneName"]?.stringValue
                    else { return nil }
                    return (id == bandwidth ? "bandwidth " : id == relocation ? "relocation " : id + " ") + name
                }
                #expect(
                    milestonesByOrder.sorted() == [
                        "bandwidth change.quoted", "relocation change.outage_scheduled", "relocation change.quoted",
                    ])
                let stateEvents = events.filter { $0["eventType"] == "productOrderStateChangeEvent" }
                #expect(
                    stateEvents.compactMap { $0["event"]?["id"]?.stringValue }.sorted()
                        == [orderID, orderID, bandwidth, relocation, renewal, disconnection, disconnection].sorted())
            }
        }
    }

    @Test(
        "a modify item on an unknown product or another buyer's, one without a change, or a term without its duration: 422 naming the field; nothing recorded"
    )
    func badModifyItems() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
            let before = try await TicketRouteTests.footprint(fixture)
            let cases: [(Data, PartyKey, String)] = [
                (Self.modify("SELLER-svc-999", externalId: "x-1", bandwidth: 500), fixture.buyer, "/product/id"),
                (Self.modify(productID, externalId: "x-2", bandwidth: 500), fixture.other, "/product/id"),
                (Self.modify(productID, externalId: "x-3"), fixture.buyer, "/product"),
                (
                    Self.modify(productID, externalId: "x-4", term: ["name": "forever", "endOfTermAction": "roll"]),
                    fixture.buyer, "/requestedItemTerm/duration"
                ),
                (
                    Self.modify(productID, externalId: "x-5", bandwidth: 500, term: OrderTerms.year), fixture.buyer,
                    "/requestedItemTerm"
                ),
            ]
            for (body, caller, field) in cases {
                let (status, errors) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderPath, body: body, as: caller, to: client)
                #expect(status == .unprocessableContent, "\(field)")
                #expect(errors.arrayValue?.first?["propertyPath"]?.stringValue == "/productOrderItem/0" + field)
                #expect(OrderRouteTests.orderSchema.validate(errors, againstArrayOf: "Error422") == [])
            }
            #expect(try await TicketRouteTests.footprint(fixture) == before)
        }
    }

    enum OrderTerms {
        static let year: JSONValue = [
            "name": "Yearly", "duration": ["amount": 12, "units": "calendarMonths"], "endOfTermAction": "autoRenew",
        ]
    }
}
