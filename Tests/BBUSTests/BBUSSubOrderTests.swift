import BBUS
import CanonicalJSON
import Ledger
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// The B-BUS driven directly: fan-out and silence for a request, and the orders it places with sellers.
struct BBUSSubOrderTests {
    var bbus = BBUS(party: "P", configuration: Make.bbusConfiguration("P", sellers: ["S1", "S2"]))
    var ids = IDSequence(party: "P")
    var entropy = SeededEntropy(seed: 5)
    let order = OrderKey(buyer: "B", orderID: "o1")

    func sourcing(deadline: Instant = Make.t0 + .hours(1)) throws -> SourcingRequest {
        let payload = Make.poq([("UNI", "NYC", nil)])
        let poq = try payload.decode(ProductOfferingQualificationCreate.self)
        let request = QualificationRequest(
            key: RequestKey(buyer: "B", requestID: "r1"), kind: .inquiry, sellerReference: "P-quote-1", poq: poq,
            payload: payload, loopPreventionList: LoopPreventionList(), deadline: deadline)
        let element = ServiceElement(item: poq.productOfferingQualificationItem[0])
        return SourcingRequest(request: request, needs: [SourcingNeed(element: element, deliverableInternally: false)])
    }

    func placement() -> SubOrderPlacement {
        SubOrderPlacement(
            order: order, itemID: "item-1", item: ["id": "item-1"], seller: "S1", quoteReference: "S1-quote-7",
            acceptBy: Make.t0 + .hours(1), activateBy: Make.t0 + .days(30), term: nil)
    }

    @Test("PDL-011 every eligible seller is asked, each request recorded on that seller's ledger, and the window set")
    mutating func fanOut() throws {
        let steps = bbus.handle(.source(try sourcing()), now: Make.t0, ids: &ids, entropy: &entropy)
        #expect(steps.records.map(\.counterparty) == ["S1", "S2"])
        #expect(steps.records.map(\.kind) == ["inquiry.request", "inquiry.request"])
        #expect(steps.effects.requests.map(\.to) == ["S1", "S2"])
        #expect(steps.effects.requests.map(\.request.id) == ["P-rq-1", "P-rq-2"])
        #expect(
            steps.effects.timers.map(\.0.purpose) == [.bbus(.responseDeadline)]
                && steps.effects.timers.map(\.1) == [Make.t0 + .hours(1)])
        #expect(steps.bbusToSCO.isEmpty)
    }

    @Test(
        "silence at the deadline counts as unable: the SCO gets the answer in and a red candidate for the silent seller"
    )
    mutating func silence() throws {
        let steps = bbus.handle(.source(try sourcing()), now: Make.t0, ids: &ids, entropy: &entropy)
        let toS1 = try #require(steps.effects.requests.first)
        let offer = ElementOffer(
            confidence: .green, confidenceReason: "on-net", installationInterval: .days(3), deliveryType: .onNet,
            price: Money(amount: 80), validUntil: nil)
        let answer = SupplyResponse(
            requestID: toS1.request.id, sellerReference: "S1-quote-7", kind: .inquiry, state: .ready,
            items: [ItemAnswer(itemID: "item-1", state: .ready, offer: offer)], answeredAt: Make.t0)
        #expect(bbus.receive(answer, from: "S1").isEmpty)
        let atDeadline = bbus.fire(.responseDeadline, key: RequestKey(buyer: "B", requestID: "r1"))
        guard case .answered(_, let candidates) = try #require(atDeadline.bbusToSCO.first) else {
            Issue.record("the SCO did not get the answers")
            return
        }
        let forItem = try #require(candidates["item-1"])
        #expect(forItem.count == 2)
        #expect(forItem.first?.offer.price == Money(amount: 80))
        #expect(forItem.last?.offer.confidence == .red)
        #expect(forItem.last?.offer.confidenceReason == "S2 did not answer within the response window")
        // A late answer after the deadline changes nothing.
        #expect(bbus.fire(.responseDeadline, key: RequestKey(buyer: "B", requestID: "r1")).isEmpty)
    }

    @Test("PDL-030 an element is ordered from the seller that quoted it, on that seller's ledger")
    mutating func subOrderPlaced() throws {
        let steps = bbus.handle(.placeSubOrder(placement()), now: Make.t0, ids: &ids, entropy: &entropy)
        let record = try #require(steps.records.first)
        #expect(record.counterparty == "S1")
        #expect(record.kind == "order.request")
        #expect(record.refs == ["order": "P-ord-1", "quote": "S1-quote-7", "element": "item-1"])
        let sent = try #require(steps.effects.sent.first)
        #expect(sent.to == "S1")
        guard case .order(let subOrder) = sent.message else {
            Issue.record("no order sent")
            return
        }
        #expect(subOrder.action == .provide(quoteReference: "S1-quote-7", items: [["id": "item-1"]]))
        #expect(bbus.placed("P-ord-1", with: "S1"))
        #expect(!bbus.placed("P-ord-1", with: "S2"))
    }

    @Test("a seller's notice about a sub-order reaches the SCO with the order and element it serves")
    mutating func sellerNoticeRouted() throws {
        _ = bbus.handle(.placeSubOrder(placement()), now: Make.t0, ids: &ids, entropy: &entropy)
        let notice = OrderNotice(
            orderID: "P-ord-1", sellerOrderReference: "S1-order-1", event: .activated(serviceID: "S1-svc-2"),
            at: Make.t0)
        guard case .sellerNotice(let routed) = try #require(bbus.receive(notice, from: "S1").bbusToSCO.first) else {
            Issue.record("the notice did not reach the SCO")
            return
        }
        #expect(routed.order == order)
        #expect(routed.itemID == "item-1")
        #expect(bbus.receive(notice, from: "S2").isEmpty)
    }

    @Test("PDL-058 an order cancelled upstream is cancelled with every seller and recorded on its ledger")
    mutating func cancellation() throws {
        _ = bbus.handle(.placeSubOrder(placement()), now: Make.t0, ids: &ids, entropy: &entropy)
        let steps = bbus.handle(
            .tellSellers(order: order, itemIDs: ["item-1"], .cancelled("abandoned"), closing: true), now: Make.t0,
            ids: &ids, entropy: &entropy)
        let record = try #require(steps.records.first)
        #expect(record.counterparty == "S1")
        #expect(record.kind == "order.cancelled")
        #expect(record.refs == ["order": "P-ord-1"])
        #expect(steps.effects.sent.map(\.to) == ["S1"])
        #expect(!bbus.placed("P-ord-1", with: "S1"))
    }
}
