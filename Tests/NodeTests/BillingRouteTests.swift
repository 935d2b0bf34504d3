import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Node
import Sonata
import SupplyChain
import Testing

/// Sonata billing v2 on a live node: the bills the S-BUS issued under a contract from the node's configuration,
/// read by their buyer (`customerBill`, `customerBillItem`), every body checked against billingManagement.api.yaml;
/// another buyer's bill is 403, an unknown one 404; the buyer's answer and payment move the bill's state.
@Suite(.serialized)
struct BillingRouteTests {
    static let schema = BillingSchemaTests.billingSchema

    /// A stepped-clock node (BUYER controls the clock) with a contract SELLER → BUYER in its configuration file.
    static func fixture() throws -> NodeRouteTests.Fixture {
        try NodeRouteTests.Fixture(
            clock: "{ mode: stepped, start: \"\(OrderRouteTests.start)\", controller: BUYER }",
            extra: "contracts:\n  - { seller: SELLER, buyer: BUYER, paymentTerms: 30x15 }\n")
    }

    /// Orders one EPL (ten-day lead time), then lets protocol time pass the first 30-day billing cycle.
    static func billed(_ fixture: NodeRouteTests.Fixture, client: some TestClientProtocol) async throws -> String {
        _ = try await OrderRouteTests.quoteAndDeliver(as: fixture.buyer, client: client)
        try await OrderRouteTests.advance(to: "2026-02-05T09:00:00Z", as: fixture.buyer, client: client)
        let (status, list) = try await OrderRouteTests.send(
            .get, NodeRoutes.customerBillPath, as: fixture.buyer, to: client)
        #expect(status == .ok)
        return try #require(list.arrayValue?.first?["id"]?.stringValue)
    }

    @Test(
        "PDL-099 the bill the S-BUS issued under the node file's contract, read by its buyer: valid CustomerBill, CustomerBill_Find and CustomerBillItem"
    )
    func readBill() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application().test(.router) { client in
            let id = try await Self.billed(fixture, client: client)
            let (listed, list) = try await OrderRouteTests.send(
                .get, NodeRoutes.customerBillPath, as: fixture.buyer, to: client)
            #expect(listed == .ok)
            #expect(list.arrayValue?.count == 1)
            #expect(Self.schema.validate(list, againstArrayOf: "CustomerBill_Find") == [])
            let (status, bill) = try await OrderRouteTests.send(
                .get, NodeRoutes.customerBillPath + "/" + id, as: fixture.buyer, to: client)
            #expect(status == .ok)
            #expect(Self.schema.validate(bill, against: "CustomerBill") == [])
            #expect(bill["state"] == "generated")
            #expect(bill["billingPeriod"]?["startDateTime"] == "2026-01-05T09:00:00Z")
            #expect(bill["paymentDueDate"] == "2026-02-19T09:00:00Z")
            // 100.00 cost + 10% markup = 110.00 EUR a month; active from 2026-01-15T09:01 to 2026-02-04T09:00:
            // 20 started days of 30, 110.00 × 20 / 30 = 73.33 EUR.
            #expect(bill["amountDue"] == ["unit": "EUR", "value": 73.33])
            #expect(bill["customerBillItem"] == [["id": .string(id + "-1")]])
            let (itemStatus, item) = try await OrderRouteTests.send(
                .get, NodeRoutes.customerBillItemPath + "/" + id + "-1", as: fixture.buyer, to: client)
            #expect(itemStatus == .ok)
            #expect(Self.schema.validate(item, against: "CustomerBillItem") == [])
            #expect(item["unitQuantity"] == 20)
            #expect(item["taxExcludedAmount"] == ["unit": "EUR", "value": 73.33])
        }
    }

    @Test("a bill is its buyer's only: another buyer gets 403 on it and its items and an empty list; unknown ids 404")
    func othersAndUnknownBills() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application().test(.router) { client in
            let id = try await Self.billed(fixture, client: client)
            let cases: [(String, PartyKey, HTTPResponse.Status)] = [
                (NodeRoutes.customerBillPath + "/" + id, fixture.other, .forbidden),
                (NodeRoutes.customerBillItemPath + "/" + id + "-1", fixture.other, .forbidden),
                (NodeRoutes.customerBillPath + "/SELLER-bill-999", fixture.buyer, .notFound),
                (NodeRoutes.customerBillItemPath + "/" + id + "-9", fixture.buyer, .notFound),
                (NodeRoutes.customerBillItemPath + "/nodash", fixture.buyer, .notFound),
            ]
            for (path, key, expected) in cases {
                let (status, body) = try await OrderRouteTests.send(.get, path, as: key, to: client)
                #expect(status == expected, "\(path)")
                #expect(body["code"] != nil, "\(path)")
            }
            let (status, list) = try await OrderRouteTests.send(
                .get, NodeRoutes.customerBillPath, as: fixture.other, to: client)
            #expect(status == .ok)
            #expect(list == [])
        }
    }

    @Test(
        "a buyer's final answer makes its bill paymentDue and its payment settled; another buyer's answer is 403 and changes nothing"
    )
    func answerAndPayment() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application().test(.router) { client in
            let id = try await Self.billed(fixture, client: client)
            let at = try #require(MEFDateTimeInstant.parse("2026-02-05T09:00:00Z"))
            let answer = Reconciliation(
                invoiceID: id, outcome: .final, agreedItems: ["1"], agreedAmount: Money(minorUnits: 7_333),
                disputed: [], at: at)
            let answerBody = try JSONEncoder().encode(SupplyEnvelope(message: .reconciliation(answer)))
            let answerPath = NodeRoutes.customerBillPath + "/" + id + "/reconciliation"
            let (refused, _) = try await Self.post(answerPath, body: answerBody, as: fixture.other, to: client)
            #expect(refused == .forbidden)
            #expect(try await Self.state(id, fixture, client) == "generated")
            let (answered, _) = try await Self.post(answerPath, body: answerBody, as: fixture.buyer, to: client)
            #expect(answered == .noContent)
            #expect(try await Self.state(id, fixture, client) == "paymentDue")
            let payment = Payment(
                invoiceID: id, amount: Money(minorUnits: 7_333),
                method: PaymentMethod(kind: .fiat, asset: "EUR", network: nil),
                dueDate: try #require(MEFDateTimeInstant.parse("2026-02-19T09:00:00Z")), paidAt: at)
            let paymentBody = try JSONEncoder().encode(SupplyEnvelope(message: .payment(payment)))
            // The payment of one bill posted on another bill's path is refused.
            let (mismatched, _) = try await Self.post(
                NodeRoutes.customerBillPath + "/SELLER-bill-999/payment", body: paymentBody, as: fixture.buyer,
                to: client)
            #expect(mismatched == .badRequest)
            let (paid, _) = try await Self.post(
                NodeRoutes.customerBillPath + "/" + id + "/payment", body: paymentBody, as: fixture.buyer, to: client)
            #expect(paid == .noContent)
            #expect(try await Self.state(id, fixture, client) == "settled")
        }
    }

    @Test("a restarted node rebuilds its bills and their states from its journal")
    func restartRemembersBills() async throws {
        let fixture = try Self.fixture()
        let id = try await fixture.server.application().test(.router) { client -> String in
            let id = try await Self.billed(fixture, client: client)
            let at = try #require(MEFDateTimeInstant.parse("2026-02-05T09:00:00Z"))
            let answer = Reconciliation(
                invoiceID: id, outcome: .final, agreedItems: ["1"], agreedAmount: Money(minorUnits: 7_333),
                disputed: [], at: at)
            let body = try JSONEncoder().encode(SupplyEnvelope(message: .reconciliation(answer)))
            let (answered, _) = try await Self.post(
                NodeRoutes.customerBillPath + "/" + id + "/reconciliation", body: body, as: fixture.buyer, to: client)
            #expect(answered == .noContent)
            return id
        }
        // As after a crash: a new server on the same configuration and files.
        let path = fixture.directory.appendingPathComponent("seller.yaml").path
        let restarted = try NodeServer(configuration: NodeConfiguration.load(path: path), logger: Logger(label: "test"))
        #expect(try await restarted.node.restore() > 0)
        try await restarted.application().test(.router) { client in
            let (status, bill) = try await OrderRouteTests.send(
                .get, NodeRoutes.customerBillPath + "/" + id, as: fixture.buyer, to: client)
            #expect(status == .ok)
            #expect(bill["state"] == "paymentDue")
            #expect(bill["amountDue"] == ["unit": "EUR", "value": 73.33])
            let (listed, list) = try await OrderRouteTests.send(
                .get, NodeRoutes.customerBillPath, as: fixture.buyer, to: client)
            #expect(listed == .ok)
            #expect(list.arrayValue?.count == 1)
        }
    }

    static func post(
        _ path: String, body: Data, as key: PartyKey, to client: some TestClientProtocol
    ) async throws -> (HTTPResponse.Status, JSONValue) {
        let headers = try NodeRouteTests.signed(
            .post, path, body: body, key: key, contentType: NodeHeaders.supplyChainMediaType)
        let response = try await client.execute(
            uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        let data = Data(buffer: response.body)
        return (response.status, data.isEmpty ? .null : try JSONValue.parse(data))
    }

    static func state(
        _ id: String, _ fixture: NodeRouteTests.Fixture, _ client: some TestClientProtocol
    ) async throws -> String? {
        let (_, bill) = try await OrderRouteTests.send(
            .get, NodeRoutes.customerBillPath + "/" + id, as: fixture.buyer, to: client)
        return bill["state"]?.stringValue
    }
}
