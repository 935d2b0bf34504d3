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

/// Sonata Product Inventory v7 on a live node: what a plain buyer bought, read back with its price, configuration,
/// order items and every term, each body checked against the MEF inventory yaml; reads record nothing.
@Suite(.serialized)
struct ProductInventoryRouteTests {
    static let inventorySchema = OrderRouteTests.schema("productInventoryManagement.api")

    /// A plain ProductOrder_Create of the quote's item with a yearly term that renews itself.
    static func orderWithTerm(quote: String) -> Data {
        let body: JSONValue = [
            "externalId": "shop-order-1",
            "relatedContactInformation": [
                [
                    "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
                    "role": "buyerContactInformation",
                ]
            ],
            "productOrderItem": [
                [
                    "id": "1", "action": "add", "quoteItem": ["quoteId": .string(quote), "id": "epl-1"],
                    "requestedItemTerm": [
                        "name": "Yearly Subscription", "duration": ["amount": 12, "units": "calendarMonths"],
                        "endOfTermAction": "autoRenew",
                    ],
                ]
            ],
        ]
        return body.canonicalData
    }

    /// Quotes, orders (with a term) and activates one EPL as a plain Sonata buyer; returns the order and product
    /// ids.
    static func deliver(
        _ fixture: NodeRouteTests.Fixture, client: some TestClientProtocol
    ) async throws -> (orderID: String, productID: String) {
        let quoteID = try await QuoteDecisionRouteTests.askQuote(fixture, client: client)
        try await OrderRouteTests.advance(to: "2026-01-05T09:01:00Z", as: fixture.buyer, client: client)
        let (placed, order) = try await OrderRouteTests.send(
            .post, NodeRoutes.productOrderPath, body: Self.orderWithTerm(quote: quoteID), as: fixture.buyer,
            to: client)
        #expect(placed == .created)
        #expect(OrderRouteTests.orderSchema.validate(order, against: "ProductOrder") == [])
        try await OrderRouteTests.advance(to: "2026-01-16T09:00:00Z", as: fixture.buyer, client: client)
        let orderID = try #require(order["id"]?.stringValue)
        let (_, completed) = try await OrderRouteTests.send(
            .get, NodeRoutes.productOrderPath + "/" + orderID, as: fixture.buyer, to: client)
        #expect(completed["state"] == "completed")
        let productID = try #require(await fixture.server.node.serviceIDs(of: "BUYER").first)
        return (orderID, productID)
    }

    static func readProduct(
        _ id: String, _ fixture: NodeRouteTests.Fixture, client: some TestClientProtocol
    ) async throws -> JSONValue {
        let (status, product) = try await OrderRouteTests.send(
            .get, NodeRoutes.productInventoryPath + "/" + id, as: fixture.buyer, to: client)
        #expect(status == .ok)
        let violations = Self.inventorySchema.validate(product, against: "MEFProduct")
        #expect(violations.isEmpty, "\(violations)")
        return product
    }

    @Test(
        "a plain buyer's product after order and activation: active, its start date, quoted price, configuration, order item and term; a renewal adds a second term, oldest first"
    )
    func productWithTerms() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (orderID, productID) = try await Self.deliver(fixture, client: client)
            let (listed, list) = try await OrderRouteTests.send(
                .get, NodeRoutes.productInventoryPath, as: fixture.buyer, to: client)
            #expect(listed == .ok)
            #expect(list.arrayValue?.map { $0["id"]?.stringValue } == [productID])
            #expect(Self.inventorySchema.validate(list, againstArrayOf: "MEFProduct_Find") == [])

            let product = try await Self.readProduct(productID, fixture, client: client)
            #expect(product["status"] == "active")
            let start = try #require(product["startDate"]?.stringValue.flatMap(MEFDateTimeInstant.parse))
            #expect(start > MEFDateTimeInstant.parse("2026-01-05T09:01:00Z")!)
            #expect(start <= MEFDateTimeInstant.parse("2026-01-16T09:00:00Z")!)
            #expect(product["terminationDate"] == nil)
            #expect(product["externalId"] == "shop-order-1")
            #expect(product["productOffering"]?["id"] == "EPL")
            #expect(product["productConfiguration"]?["bandwidthMbps"]?.numberValue == 100)
            #expect(product["relatedSite"]?.arrayValue?.first?["id"] == "PARIS-1")
            let price = try #require(product["productPrice"]?.arrayValue?.first)
            #expect(price["priceType"] == "recurring")
            #expect(price["price"]?["dutyFreeAmount"]?["value"]?.numberValue == 110)
            #expect(
                product["productOrderItem"]?.arrayValue?.map {
                    [$0["productOrderId"]?.stringValue, $0["productOrderItemId"]?.stringValue]
                } == [[orderID, "epl-1"]])
            let firstTerms = product["productTerm"]?.arrayValue ?? []
            #expect(firstTerms.map { $0["endOfTermAction"]?.stringValue } == ["autoRenew"])
            #expect(firstTerms.first?["duration"]?["amount"]?.numberValue == 360)

            // A renewal (the core's order in the supply envelope) starts a new term; the first one stays.
            let now = fixture.server.node.clock.now()
            let renewal = OrderRequest(
                id: "shop-renewal-1",
                action: .renew(
                    serviceID: productID,
                    ProductTerm(start: now, end: now + .days(730), endOfTermAction: .autoDisconnect)),
                acceptBy: now + .hours(1), activateBy: now + .days(30), term: nil)
            let (renewed, renewalOrder) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath,
                body: try JSONEncoder().encode(SupplyEnvelope(message: .order(renewal))), as: fixture.buyer,
                to: client, headers: ["Content-Type": NodeHeaders.supplyChainMediaType])
            #expect(renewed == .created)
            let renewalID = try #require(renewalOrder["id"]?.stringValue)
            let after = try await Self.readProduct(productID, fixture, client: client)
            let terms = after["productTerm"]?.arrayValue ?? []
            #expect(terms.map { $0["name"]?.stringValue } == ["term 1", "term 2"])
            #expect(terms.map { $0["endOfTermAction"]?.stringValue } == ["autoRenew", "autoDisconnect"])
            #expect(terms.last?["duration"]?["amount"]?.numberValue == 730)
            #expect(after["productOrderItem"]?.arrayValue?.last?["productOrderId"]?.stringValue == renewalID)
            #expect(after["lastUpdateDate"] != nil)
        }
    }

    @Test(
        "a buyer sees only its own products: another buyer's product 403 and an empty list, an unknown one 404; the list filters; a bad filter 400 naming the parameter; reads record nothing"
    )
    func ownershipAndFilters() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let (orderID, productID) = try await Self.deliver(fixture, client: client)
            let before = try await TicketRouteTests.footprint(fixture)

            let (theirs, denied) = try await OrderRouteTests.send(
                .get, NodeRoutes.productInventoryPath + "/" + productID, as: fixture.other, to: client)
            #expect(theirs == .forbidden)
            #expect(Self.inventorySchema.validate(denied, against: "Error403") == [])
            let (_, otherList) = try await OrderRouteTests.send(
                .get, NodeRoutes.productInventoryPath, as: fixture.other, to: client)
            #expect(otherList == [])
            let (unknown, missing) = try await OrderRouteTests.send(
                .get, NodeRoutes.productInventoryPath + "/SELLER-svc-999", as: fixture.buyer, to: client)
            #expect(unknown == .notFound)
            #expect(Self.inventorySchema.validate(missing, against: "Error404") == [])

            let filters: [(String, Int)] = [
                ("status=active", 1), ("status=terminated", 0), ("productOrderId=\(orderID)", 1),
                ("productOrderId=SELLER-order-999", 0), ("productOfferingId=EPL", 1), ("geographicalSiteId=PARIS-1", 1),
                ("externalId=shop-order-1", 1), ("startDate.gt=2026-02-01T00:00:00Z", 0),
                ("startDate.lt=2026-02-01T00:00:00Z", 1), ("productSpecificationId=EPL-spec", 0), ("offset=1", 0),
                ("limit=1&offset=0", 1),
            ]
            for (query, count) in filters {
                let (status, list) = try await OrderRouteTests.send(
                    .get, NodeRoutes.productInventoryPath + "?" + query, as: fixture.buyer, to: client)
                #expect(status == .ok, "\(query)")
                #expect(list.arrayValue?.count == count, "\(query)")
                #expect(Self.inventorySchema.validate(list, againstArrayOf: "MEFProduct_Find") == [])
            }
            for (query, parameter) in [
                ("status=bogus", "status"), ("startDate.lt=yesterday", "startDate.lt"), ("limit=0", "limit"),
            ] {
                let (status, error) = try await OrderRouteTests.send(
                    .get, NodeRoutes.productInventoryPath + "?" + query, as: fixture.buyer, to: client)
                #expect(status == .badRequest, "\(query)")
                #expect(error["code"] == "invalidQuery")
                #expect(error["reason"]?.stringValue?.hasPrefix(parameter + ":") == true, "\(error)")
                #expect(Self.inventorySchema.validate(error, against: "Error400") == [])
            }
            #expect(try await TicketRouteTests.footprint(fixture) == before)
        }
    }
}
