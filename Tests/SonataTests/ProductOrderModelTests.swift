import CanonicalJSON
import Foundation
import Sonata
import Testing

struct ProductOrderModelTests {
    @Test("MEF's examples hold eight ProductOrder_Create payloads")
    func orderFixturesAreFound() {
        #expect(QuoteOrderFixture.orders.count == 8)
        #expect(Set(QuoteOrderFixture.orders.map(\.name)).isDisjoint(with: QuoteOrderFixture.quotes.map(\.name)))
    }

    @Test("A ProductOrder_Create example round-trips losslessly", arguments: QuoteOrderFixture.orders)
    func productOrderCreateRoundTrip(fixture: QuoteOrderFixture) throws {
        let order = try JSONDecoder().decode(ProductOrderCreate.self, from: fixture.data)
        let again = try JSONDecoder().decode(ProductOrderCreate.self, from: JSONEncoder().encode(order))
        #expect(again == order)
        let reencoded = try JSONValue(encoding: order)
        let lostOrChanged = reencoded.differences(from: fixture.tree)
        #expect(lostOrChanged == [])
        let identical = reencoded == fixture.tree
        #expect(identical, "re-encoded JSON differs from the example at \(lostOrChanged)")
    }

    @Test("The Carrier Ethernet EPL order keeps items, item relationships, terms, billing and places")
    func carrierEthernetOrderContent() throws {
        let order = try QuoteOrderFixture.named("ce_Use_Case_5_Product_Order_-_new_EPL").tree
            .decode(ProductOrderCreate.self)
        #expect(order.productOrderItem.map(\.id) == ["item-001", "item-002", "item-003"])
        let epl = order.productOrderItem[0]
        #expect(epl.action == .add)
        #expect(epl.expediteIndicator == false)
        #expect(epl.requestedCompletionDate?.text == "2021-11-04T23:00:00Z")
        #expect(
            epl.productOrderItemRelationship == [
                OrderItemRelationship(relationshipType: "CONNECTS_TO_UNI_A", id: "item-002"),
                OrderItemRelationship(relationshipType: "CONNECTS_TO_UNI_Z", id: "item-003"),
            ])
        #expect(epl.requestedItemTerm?.endOfTermAction != nil)
        #expect(epl.billingAccount?.billingContact?.role == "billingContact")
        #expect(epl.product?.productConfiguration?["@type"] != nil)
        #expect(order.productOrderItem[1].product?.place?.first?["@type"] != nil)
    }

    @Test("Delete and modify items point at the in-service product")
    func deleteAndModifyItems() throws {
        let order = try QuoteOrderFixture.named("ia_Use_Case_9__Product_Order_-_Advanced_Internet_Access_-_delete")
            .tree.decode(ProductOrderCreate.self)
        let delete = order.productOrderItem[0]
        #expect(delete.action == .delete)
        #expect(delete.product?.id != nil)
        #expect(delete.product?.productConfiguration == nil)
        let modify = order.productOrderItem[1]
        #expect(modify.action == .modify)
        #expect(modify.product?.id != nil)
        #expect(modify.product?.productConfiguration != nil)
    }

    @Test("The Access E-Line orders' order-level requestedCompletionDate (not in v10) is kept")
    func legacyOrderLevelCompletionDate() throws {
        let order = try QuoteOrderFixture.named("ael_UseCase5Request").tree.decode(ProductOrderCreate.self)
        #expect(order.requestedCompletionDate?.text == "2020-11-04T23:00:00Z")
    }

    @Test("A wrong enum value is a finding at the field, listing the allowed values")
    func wrongEnumValue() throws {
        let tree = try QuoteOrderFixture.named("ce_Use_Case_5_Product_Order_-_new_EPL").tree
        let action = try schemaFinding(
            decoding: ProductOrderCreate.self, tree.replacing("/productOrderItem/2/action", with: "INSTALL"))
        #expect(action.path == "/productOrderItem/2/action")
        #expect(action.message.contains("add, modify, delete"))
        let endOfTerm = try schemaFinding(
            decoding: ProductOrderCreate.self,
            tree.replacing("/productOrderItem/0/requestedItemTerm/endOfTermAction", with: "renew"))
        #expect(endOfTerm.path == "/productOrderItem/0/requestedItemTerm/endOfTermAction")
        #expect(endOfTerm.message.contains("roll, autoDisconnect, autoRenew"))
    }

    @Test("A missing required field is a finding at the field's pointer")
    func missingRequiredField() throws {
        let tree = try QuoteOrderFixture.named("ia_Use_Case_6_Product_Order_-_Basic_Internet_Access").tree
        let contacts = try schemaFinding(
            decoding: ProductOrderCreate.self, tree.replacing("/relatedContactInformation", with: nil))
        #expect(contacts.path == "/relatedContactInformation")
        let billing = try schemaFinding(
            decoding: ProductOrderCreate.self, tree.replacing("/productOrderItem/0/billingAccount/id", with: nil))
        #expect(billing.path == "/productOrderItem/0/billingAccount/id")
        let offering = try schemaFinding(
            decoding: ProductOrderCreate.self,
            tree.replacing("/productOrderItem/0/product/productOffering/id", with: nil))
        #expect(offering.path == "/productOrderItem/0/product/productOffering/id")
    }

    @Test("A date that is not RFC 3339 is a finding at the field")
    func wrongDateFormat() throws {
        let tree = try QuoteOrderFixture.named("ia_Use_Case_6_Product_Order_-_Basic_Internet_Access").tree
        let finding = try schemaFinding(
            decoding: ProductOrderCreate.self,
            tree.replacing("/productOrderItem/0/requestedCompletionDate", with: "28/06/2023"))
        #expect(finding.path == "/productOrderItem/0/requestedCompletionDate")
        #expect(finding.message.contains("'28/06/2023'"))
    }

    @Test("A Seller's order built from a request round-trips with state, quote reference, term and milestones")
    func productOrderResponseRoundTrip() throws {
        let request = try QuoteOrderFixture.named("ia_Use_Case_6_Product_Order_-_Basic_Internet_Access").tree
            .decode(ProductOrderCreate.self)
        let acknowledged = try #require(MEFDateTime(text: "2023-06-01T10:00:00Z"))
        let items = request.productOrderItem.map { item in
            let echoed = ProductOrderItem(item, state: .inProgress)
            return ProductOrderItem(
                id: echoed.id, action: echoed.action, state: echoed.state, product: echoed.product,
                quoteItem: QuoteItemRef(quoteId: "Q-5", id: "item-00001"),
                requestedCompletionDate: echoed.requestedCompletionDate, expediteIndicator: echoed.expediteIndicator,
                expectedCompletionDate: MEFDateTime(text: "2023-06-27T00:00:00Z"),
                requestedItemTerm: echoed.requestedItemTerm, itemTerm: echoed.requestedItemTerm.map { [$0] },
                billingAccount: echoed.billingAccount, relatedContactInformation: echoed.relatedContactInformation,
                agreementName: echoed.agreementName,
                milestone: [Milestone(name: "siteSurveyDone", date: acknowledged)],
                stateChange: [ProductOrderItemStateChange(state: .inProgress, changeDate: acknowledged)])
        }
        let order = ProductOrder(
            id: "PO-6", orderDate: acknowledged, state: .inProgress,
            relatedContactInformation: request.relatedContactInformation, productOrderItem: items,
            externalId: request.externalId, projectId: request.projectId,
            stateChange: [ProductOrderStateChange(state: .acknowledged, changeDate: acknowledged)])

        let tree = try JSONValue(encoding: order)
        #expect(tree["state"] == "inProgress")
        #expect(tree["productOrderItem"]?[0]?["quoteItem"] == ["quoteId": "Q-5", "id": "item-00001"])
        #expect(tree["productOrderItem"]?[0]?["itemTerm"]?[0]?["endOfTermAction"] == "autoRenew")
        #expect(try tree.decode(ProductOrder.self) == order)
        let rejected = try schemaFinding(
            decoding: ProductOrder.self, tree.replacing("/productOrderItem/0/state", with: "rejected.other"))
        #expect(rejected.path == "/productOrderItem/0/state")
        #expect(rejected.message.contains("rejected.validated"))
    }

    @Test("A product order item state-change notification round-trips")
    func productOrderEventRoundTrip() throws {
        let json: JSONValue = [
            "eventId": "event-7", "eventTime": "2023-06-27T08:30:00.5Z",
            "eventType": "productSpecificProductOrderItemMilestoneEvent",
            "event": ["id": "PO-6", "orderItemId": "item-00001", "milestoneName": "siteSurveyDone"],
        ]
        let event = try json.decode(ProductOrderEvent.self)
        #expect(event.eventType == .productSpecificProductOrderItemMilestoneEvent)
        #expect(event.event.orderItemId == "item-00001")
        #expect(try JSONValue(encoding: event) == json)
        let missing = try schemaFinding(decoding: ProductOrderEvent.self, json.replacing("/event/id", with: nil))
        #expect(missing.path == "/event/id")
    }

    @Test(
        "a date renders to the millisecond it holds: 09:00:00.100 reads .100 (not .099, the Double's truncation), whole seconds without a fraction"
    )
    func dateMilliseconds() {
        #expect(MEFDateTime(Date(timeIntervalSince1970: 1_768_640_400.1)).text == "2026-01-17T09:00:00.100Z")
        #expect(MEFDateTime(Date(timeIntervalSince1970: 1_768_640_400.999)).text == "2026-01-17T09:00:00.999Z")
        #expect(MEFDateTime(Date(timeIntervalSince1970: 1_768_640_400)).text == "2026-01-17T09:00:00Z")
        #expect(MEFDateTime(Date(timeIntervalSince1970: 1_768_640_399.9996)).text == "2026-01-17T09:00:00Z")
    }
}
