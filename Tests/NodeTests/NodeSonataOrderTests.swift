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

/// Changes, renewals and disconnections between nodes as plain Sonata v10 orders: a `modify` or `delete` item valid
/// against `ProductOrder_Create`, and the `X-SCBroker-Order-Windows` header with the instants Sonata has no field
/// for; the seller's route reads back exactly the order the buyer's B-BUS placed.
@Suite(.serialized)
struct NodeSonataOrderTests {
    static let now = Instant(milliseconds: 1_768_554_000_123)

    static let orders: [OrderRequest] = [
        OrderRequest(
            id: "P-chg-ord-4",
            action: .change(serviceID: "SELLER-svc-1", ServiceChange(bandwidthMbps: 500, place: nil)),
            acceptBy: now + .minutes(59), activateBy: now + .days(29), term: nil),
        OrderRequest(
            id: "P-chg-ord-5",
            action: .change(serviceID: "SELLER-svc-1", ServiceChange(bandwidthMbps: nil, place: "LYON-2")),
            acceptBy: now + .minutes(59), activateBy: now + .days(29), term: nil),
        OrderRequest(
            id: "P-renew-ord-6",
            action: .renew(
                serviceID: "SELLER-svc-1",
                ProductTerm(
                    start: now, end: now + .days(730) + TimeSpan(milliseconds: 7), endOfTermAction: .autoDisconnect)),
            acceptBy: now + .minutes(59), activateBy: now + .days(29),
            term: ProductTerm(
                start: now, end: now + .days(730) + TimeSpan(milliseconds: 7), endOfTermAction: .autoDisconnect)),
        OrderRequest(
            id: "P-disc-ord-7", action: .disconnect(serviceID: "SELLER-svc-1", at: now + .days(3)),
            acceptBy: now + .minutes(59), activateBy: now + .days(3), term: nil),
    ]

    @Test(
        "a node's change, renewal and disconnection are plain ProductOrder_Create bodies with one modify or delete item"
    )
    func bodiesAreSonata() throws {
        var actions: [String] = []
        for order in Self.orders {
            let (create, windows) = try #require(NodeRoutes.plainOrder(order, buyer: "PROVIDER"))
            let body = try JSONValue(encoding: create)
            #expect(OrderRouteTests.orderSchema.validate(body, against: "ProductOrder_Create") == [])
            #expect(body["externalId"]?.stringValue == order.id.rawValue)
            #expect(body["productOrderItem"]?.arrayValue?.first?["product"]?["id"] == "SELLER-svc-1")
            actions.append(body["productOrderItem"]?.arrayValue?.first?["action"]?.stringValue ?? "")
            #expect(NodeRoutes.OrderWindows(header: windows.header) == windows)
        }
        #expect(actions == ["modify", "modify", "modify", "delete"])
        let provide = OrderRequest(
            id: "o1", action: .provide(quoteReference: "q1", items: []), acceptBy: Self.now, activateBy: Self.now,
            term: nil)
        #expect(NodeRoutes.plainOrder(provide, buyer: "PROVIDER") == nil)
    }

    @Test("the seller's route reads a node's plain Sonata modify and delete orders back as exactly the orders placed")
    func readBackExactly() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (_, productID) = try await ProductInventoryRouteTests.deliver(fixture, client: client)
            let now = fixture.server.node.clock.now()
            let renewalTerm = ProductTerm(
                start: now - TimeSpan(milliseconds: 30), end: now + .days(730) + TimeSpan(milliseconds: 7),
                endOfTermAction: .roll)
            let placed = [
                OrderRequest(
                    id: "BUYER-renew-ord-1", action: .renew(serviceID: productID, renewalTerm),
                    acceptBy: now + .minutes(59), activateBy: now + .days(29), term: renewalTerm),
                // A date that passed in transit is kept (the core disconnects at once), not refused as a buyer's is.
                OrderRequest(
                    id: "BUYER-disc-ord-2",
                    action: .disconnect(serviceID: productID, at: now - TimeSpan(milliseconds: 30)),
                    acceptBy: now + .minutes(59), activateBy: now - TimeSpan(milliseconds: 30), term: nil),
            ]
            for order in placed {
                let (create, windows) = try #require(NodeRoutes.plainOrder(order, buyer: "BUYER"))
                let (status, answer) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderPath, body: try JSONEncoder().encode(create), as: fixture.buyer,
                    to: client, headers: [NodeHeaders.orderWindows.rawName: windows.header])
                #expect(status == .created, "\(answer)")
                #expect(OrderRouteTests.orderSchema.validate(answer, against: "ProductOrder") == [])
                let id = try #require(answer["id"]?.stringValue)
                #expect(await fixture.server.node.order(id: id)?.request == order)
            }
            try await OrderRouteTests.advance(to: "2026-01-16T09:00:01Z", as: fixture.buyer, client: client)
            #expect(await fixture.server.node.service(id: productID)?.state == .terminated)
        }
    }
}
