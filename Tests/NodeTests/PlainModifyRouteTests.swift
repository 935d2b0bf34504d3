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

/// Sonata Product Order v10 `modify` items from a plain buyer: a bandwidth change, a relocation and a renewal of its
/// product, each a ProductOrder valid against the v10 schema and seen in the product inventory; bad modify items get
/// 422 naming the field and record nothing.
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

    @Test(
        "a plain buyer changes its product's bandwidth, relocates it (priced, its outage announced), renews it with modify items and disconnects it with a delete item; the inventory shows each, with both terms oldest first"
    )
    func changeRelocateRenew() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)

            let bandwidth = try await Self.place(
                Self.modify(productID, externalId: "shop-change-1", bandwidth: 500), fixture, client: client)
            try await OrderRouteTests.advance(to: "2026-01-17T09:00:00Z", as: fixture.buyer, client: client)
            let changed = try await Self.read(bandwidth, fixture, client: client)
            #expect(changed.state == "completed", "\(changed)")
            #expect(changed.notices.contains("change.quoted"))
            var product = try await ProductInventoryRouteTests.readProduct(productID, fixture, client: client)
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
            #expect(
                product["productOrderItem"]?.arrayValue?.compactMap { $0["productOrderId"]?.stringValue }.suffix(3)
                    == [bandwidth, relocation, renewal])

            // The end of its life: a delete item for 2026-02-01, carried out at that date; both terms stay listed.
            let (status, placed) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath,
                body: try PlainDeleteRouteTests.delete(productID, externalId: "shop-end-1", at: "2026-02-01T00:00:00Z"),
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
