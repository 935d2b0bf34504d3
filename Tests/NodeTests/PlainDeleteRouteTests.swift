import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Sonata
import SupplyChain
import Testing

@testable import Node

/// Sonata Product Order v10 `delete` items from a plain buyer: its product disconnected at the requested date, the
/// order and the product valid against the v10 and v7 schemas, the product `terminated` on that date; bad delete
/// items get 422 naming the field and record nothing.
@Suite(.serialized)
struct PlainDeleteRouteTests {
    /// A ProductOrder_Create with one `delete` item on `product` (its date on the item), then `extra` items.
    static func delete(
        _ product: String, externalId: String, at date: String? = nil, extra: [JSONValue] = []
    ) throws -> Data {
        var item: [String: JSONValue] = ["id": "1", "action": "delete", "product": ["id": .string(product)]]
        if let date { item["requestedCompletionDate"] = .string(date) }
        let body: JSONValue = [
            "externalId": .string(externalId),
            "relatedContactInformation": [
                [
                    "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
                    "role": "buyerContactInformation",
                ]
            ],
            "productOrderItem": .array([.object(item)] + extra),
        ]
        // The request itself is a valid ProductOrder_Create: what a Sonata client would send.
        #expect(OrderRouteTests.orderSchema.validate(body, against: "ProductOrder_Create") == [])
        return body.canonicalData
    }

    @Test(
        "a plain buyer disconnects its product at a date with a delete item: accepted at once, completed with service.disconnected at the date, the product terminated on it"
    )
    func deleteAtDate() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
            let (status, order) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath,
                body: try Self.delete(productID, externalId: "shop-delete-1", at: "2026-02-01T00:00:00Z"),
                as: fixture.buyer, to: client)
            #expect(status == .created)
            #expect(OrderRouteTests.orderSchema.validate(order, against: "ProductOrder") == [])
            let item = order["productOrderItem"]?.arrayValue?.first
            #expect(item?["action"] == "delete")
            #expect(item?["product"]?["id"]?.stringValue == productID)
            let orderID = try #require(order["id"]?.stringValue)

            // Accepted, the product still active until the date.
            var read = try await PlainModifyRouteTests.read(orderID, fixture, client: client)
            #expect(read.state == "inProgress", "\(read)")
            #expect(read.notices == ["order.accepted"])
            var product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
            #expect(product["status"] == "active")

            try await OrderRouteTests.advance(to: "2026-02-02T00:00:00Z", as: fixture.buyer, client: client)
            read = try await PlainModifyRouteTests.read(orderID, fixture, client: client)
            #expect(read.state == "completed", "\(read)")
            #expect(read.notices == ["order.accepted", "service.disconnected"])
            product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
            #expect(product["status"] == "terminated")
            let ended = try #require(product["terminationDate"]?.stringValue.flatMap { MEFDateTime(text: $0) })
            #expect(ended.date == MEFDateTime(text: "2026-02-01T00:00:00Z")?.date)
            #expect(
                product["productOrderItem"]?.arrayValue?.compactMap { $0["productOrderId"]?.stringValue }.last
                    == orderID)
            #expect(await fixture.server.node.service(id: productID)?.state == .terminated)
        }
    }

    @Test(
        "a delete order's state changes reach the buyer's order hub: accepted, then completed at the date, each a ProductOrderEvent valid against the v10 notification schema"
    )
    func deleteNotified() async throws {
        let captured = OrderRouteTests.Captured()
        let listener = Router(context: BasicRequestContext.self)
        listener.post("/shop/listener/{eventType}") { request, _ -> Response in
            captured.append(Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            return Response(status: .noContent)
        }
        let listening = Application(router: listener, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await listening.test(.live) { listenerClient in
            let port = try #require(listenerClient.port)
            let fixture = try OrderRouteTests.steppedFixture(callbacks: ["http://127.0.0.1:\(port)"])
            var service = fixture.server.service  // runs the node's jobs: the deliveries
            service.drainLimit = .zero
            let jobs = Task { try await service.run() }
            defer { jobs.cancel() }
            try await fixture.server.application().test(.router) { client in
                let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
                let input = Data(
                    #"{"callback":"http://127.0.0.1:\#(port)/shop","query":"eventType=productOrderStateChangeEvent"}"#
                        .utf8)
                let (created, _) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderHubPath, body: input, as: fixture.buyer, to: client)
                #expect(created == .created)
                let (_, order) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderPath,
                    body: try Self.delete(productID, externalId: "shop-delete-2", at: "2026-02-01T00:00:00Z"),
                    as: fixture.buyer, to: client)
                try await OrderRouteTests.advance(to: "2026-02-02T00:00:00Z", as: fixture.buyer, client: client)
                await waitUntil { captured.all.count >= 2 }
                let events = try captured.all.map { try JSONValue.parse($0) }
                #expect(events.count == 2)  // accepted, then disconnected at the date
                let schema = OrderRouteTests.schema("productOrderNotification.api")
                for event in events {
                    #expect(event["eventType"]?.stringValue == "productOrderStateChangeEvent")
                    #expect(event["event"]?["id"] == order["id"])
                    let violations = schema.validate(event, against: "ProductOrderEvent")
                    #expect(violations.isEmpty, "\(violations)")
                }
                // Deliveries run concurrently (arrival order is not event order): the latest event is at the date.
                #expect(
                    events.compactMap { $0["eventTime"]?.stringValue.flatMap { MEFDateTime(text: $0)?.date } }.max()
                        == MEFDateTime(text: "2026-02-01T00:00:00Z")?.date)
            }
        }
    }

    @Test(
        "a delete item on an unknown product or another buyer's, with a date in the past, or beside a modify of the same product: 422 naming the field; nothing recorded"
    )
    func badDeleteItems() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
            let before = try await TicketRouteTests.footprint(fixture)
            let modify: JSONValue = [
                "id": "2", "action": "modify",
                "product": [
                    "id": .string(productID),
                    "productConfiguration": ["@type": "urn:scbroker:product:v1", "bandwidthMbps": 500],
                ],
            ]
            let cases: [(Data, PartyKey, String)] = [
                (try Self.delete("SELLER-svc-999", externalId: "d-1"), fixture.buyer, "/productOrderItem/0/product/id"),
                (try Self.delete(productID, externalId: "d-2"), fixture.other, "/productOrderItem/0/product/id"),
                (
                    try Self.delete(productID, externalId: "d-3", at: "2026-01-10T00:00:00Z"), fixture.buyer,
                    "/productOrderItem/0/requestedCompletionDate"
                ),
                (
                    try Self.delete(productID, externalId: "d-4", at: "2026-02-01T00:00:00Z", extra: [modify]),
                    fixture.buyer, "/productOrderItem/1/action"
                ),
            ]
            for (body, caller, field) in cases {
                let (status, errors) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderPath, body: body, as: caller, to: client)
                #expect(status == .unprocessableContent, "\(field)")
                #expect(errors.arrayValue?.first?["propertyPath"]?.stringValue == field)
                #expect(OrderRouteTests.orderSchema.validate(errors, againstArrayOf: "Error422") == [])
            }
            #expect(try await TicketRouteTests.footprint(fixture) == before)
            #expect(await fixture.server.node.service(id: productID)?.state == .active)
        }
    }

    /// A Sonata `CancelProductOrder_Create` for `order`, valid against the v10 schema unless `body` replaces it.
    static func cancel(_ order: String, reason: String = "the site stays open") -> Data {
        let body: JSONValue = [
            "productOrder": ["productOrderId": .string(order)],
            "cancellationReason": .string(reason), "cancellationReasonType": "commercial",
            "relatedContactInformation": [
                [
                    "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
                    "role": "buyerContactInformation",
                ]
            ],
        ]
        #expect(OrderRouteTests.orderSchema.validate(body, against: "CancelProductOrder_Create") == [])
        return body.canonicalData
    }

    @Test(
        "a plain buyer cancels its delete order before the date (cancelProductOrder): done, the order cancelled with order.disconnect_withdrawn, the product still active after the date; a delete placed afterwards is carried out"
    )
    func deleteCancelled() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
            let (_, placed) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath,
                body: try Self.delete(productID, externalId: "shop-delete-1", at: "2026-02-01T00:00:00Z"),
                as: fixture.buyer, to: client)
            let orderID = try #require(placed["id"]?.stringValue)
            try await OrderRouteTests.advance(to: "2026-01-20T09:00:00Z", as: fixture.buyer, client: client)

            let (status, answer) = try await OrderRouteTests.send(
                .post, NodeRoutes.cancelProductOrderPath, body: Self.cancel(orderID), as: fixture.buyer, to: client)
            #expect(status == .created)
            #expect(OrderRouteTests.orderSchema.validate(answer, against: "CancelProductOrder") == [])
            #expect(answer["state"] == "done")
            #expect(answer["productOrder"]?["productOrderId"]?.stringValue == orderID)
            #expect(answer["cancellationReason"] == "the site stays open")
            var read = try await PlainModifyRouteTests.read(orderID, fixture, client: client)
            #expect(read.state == "cancelled", "\(read)")
            #expect(read.notices == ["order.accepted", "order.disconnect_withdrawn"])
            let recorded = fixture.server.node.ledgers.queued(for: "BUYER").map { [$0.kind, $0.refs["order"] ?? ""] }
            #expect(recorded.contains(["order.disconnect_withdrawn", "shop-delete-1"]), "\(recorded)")

            // The date passes: nothing happens, the product stays active.
            try await OrderRouteTests.advance(to: "2026-02-02T00:00:00Z", as: fixture.buyer, client: client)
            read = try await PlainModifyRouteTests.read(orderID, fixture, client: client)
            #expect(read.state == "cancelled")
            var product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
            #expect(product["status"] == "active")
            #expect(product["terminationDate"] == nil)

            // Cancelling it again: 422 on the order's id, nothing recorded.
            let before = try await TicketRouteTests.footprint(fixture)
            let (again, errors) = try await OrderRouteTests.send(
                .post, NodeRoutes.cancelProductOrderPath, body: Self.cancel(orderID), as: fixture.buyer, to: client)
            #expect(again == .unprocessableContent)
            #expect(errors.arrayValue?.first?["propertyPath"] == "/productOrder/productOrderId")
            #expect(errors.arrayValue?.first?["code"] == "invalidValue")
            #expect(try await TicketRouteTests.footprint(fixture) == before)

            // A new delete is taken and carried out at its date.
            let (_, second) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath,
                body: try Self.delete(productID, externalId: "shop-delete-2", at: "2026-02-10T00:00:00Z"),
                as: fixture.buyer, to: client)
            let secondID = try #require(second["id"]?.stringValue)
            try await OrderRouteTests.advance(to: "2026-02-11T00:00:00Z", as: fixture.buyer, client: client)
            #expect(try await PlainModifyRouteTests.read(secondID, fixture, client: client).state == "completed")
            product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
            #expect(product["status"] == "terminated")
        }
    }

    @Test(
        "cancelProductOrder refused with 422 naming the field: no order id, no contact, a reason of the wrong type, an unknown order, an order that is not a pending delete; 403 another buyer's; nothing recorded"
    )
    func badCancellations() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (addOrderID, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
            let (_, placed) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath,
                body: try Self.delete(productID, externalId: "shop-delete-1", at: "2026-02-01T00:00:00Z"),
                as: fixture.buyer, to: client)
            let deleteID = try #require(placed["id"]?.stringValue)
            let before = try await TicketRouteTests.footprint(fixture)
            let contact: JSONValue = [
                ["name": "Shop", "emailAddress": "b@shop.example", "number": "+1", "role": "buyerContactInformation"]
            ]
            let cases: [(JSONValue, String, String)] = [
                (["relatedContactInformation": contact], "/productOrder/productOrderId", "missingProperty"),
                (
                    ["productOrder": ["productOrderId": .string(deleteID)]], "/relatedContactInformation",
                    "missingProperty"
                ),
                (
                    [
                        "productOrder": ["productOrderId": .string(deleteID)], "relatedContactInformation": contact,
                        "cancellationReason": 42,
                    ], "/cancellationReason", "invalidValue"
                ),
                (
                    [
                        "productOrder": ["productOrderId": .string(deleteID)], "relatedContactInformation": contact,
                        "cancellationReasonType": "whim",
                    ], "/cancellationReasonType", "invalidValue"
                ),
                (
                    ["productOrder": ["productOrderId": "SELLER-order-999"], "relatedContactInformation": contact],
                    "/productOrder/productOrderId", "referenceNotFound"
                ),
                (
                    ["productOrder": ["productOrderId": .string(addOrderID)], "relatedContactInformation": contact],
                    "/productOrder/productOrderId", "invalidValue"
                ),
            ]
            for (body, field, code) in cases {
                let (status, errors) = try await OrderRouteTests.send(
                    .post, NodeRoutes.cancelProductOrderPath, body: body.canonicalData, as: fixture.buyer, to: client)
                #expect(status == .unprocessableContent, "\(field)")
                #expect(errors.arrayValue?.first?["propertyPath"]?.stringValue == field)
                #expect(errors.arrayValue?.first?["code"]?.stringValue == code, "\(field)")
                #expect(OrderRouteTests.orderSchema.validate(errors, againstArrayOf: "Error422") == [])
            }
            let (theirs, denied) = try await OrderRouteTests.send(
                .post, NodeRoutes.cancelProductOrderPath, body: Self.cancel(deleteID), as: fixture.other, to: client)
            #expect(theirs == .forbidden)
            #expect(OrderRouteTests.orderSchema.validate(denied, against: "Error403") == [])
            #expect(try await TicketRouteTests.footprint(fixture) == before)
            #expect(try await PlainModifyRouteTests.read(deleteID, fixture, client: client).state == "inProgress")
        }
    }

    @Test(
        "restart: a withdrawn disconnection stays withdrawn (the cancellation is journaled): the order reads cancelled and the product stays active past the date"
    )
    func restartKeepsWithdrawal() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        let (orderID, productID) = try await fixture.server.application().test(.router) {
            client -> (String, String) in
            let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
            let (_, placed) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath,
                body: try Self.delete(productID, externalId: "shop-delete-1", at: "2026-02-01T00:00:00Z"),
                as: fixture.buyer, to: client)
            let orderID = try #require(placed["id"]?.stringValue)
            let (cancelled, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.cancelProductOrderPath, body: Self.cancel(orderID), as: fixture.buyer, to: client)
            #expect(cancelled == .created)
            return (orderID, productID)
        }
        let restarted = try NodeRouteTests.Fixture(restarting: fixture)
        #expect(try await restarted.server.node.restore() > 0)
        try await restarted.server.application().test(.router) { client in
            #expect(try await PlainModifyRouteTests.read(orderID, restarted, client: client).state == "cancelled")
            try await OrderRouteTests.advance(to: "2026-02-02T00:00:00Z", as: restarted.buyer, client: client)
            let product = try await ProductInventoryRouteTests.readProduct(productID, restarted, client: client)
            #expect(product["status"] == "active")
            #expect(await restarted.server.node.service(id: productID)?.state == .active)
        }
    }
}
