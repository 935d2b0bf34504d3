import CanonicalJSON
import Foundation
import Ledger
import Provider
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// The router: one input in, the roles' effects out in the order the flows produce them, and the drivers' view.
struct RouterTests {
    var entropy = SeededEntropy(seed: 9)

    /// An inquiry for one UNI the SOF delivers, answered, ordered and activated through the core alone.
    @Test("PDL-007 PDL-017 PDL-047 an inquiry, its order and the activation cross S-BUS, SCO and back in flow order")
    mutating func quoteOrderActivate() throws {
        var core = Make.provider("P", catalog: [Make.entry("UNI", at: ["LON"], cost: 100, lead: 10)])
        let payload = Make.poq([("UNI", "LON", nil)], immediate: true)
        let quoted = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        // S-BUS receipt, SCO's SOF answer, S-BUS answer: in that order, each on its own ledger.
        #expect(quoted.records.map(\.kind) == ["inquiry.receipt", "sof.answer", "quote.response"])
        #expect(quoted.records.map(\.counterparty) == ["B", "P#sof", "B"])
        let response = try #require(quoted.finalResponse)
        #expect(response.sellerReference == "P-quote-1")
        #expect(core.view.openRequestCount == 0)
        let items = try #require(core.view.quotedItems("P-quote-1", buyer: "B")).values.sorted { "\($0)" < "\($1)" }
        let order = OrderRequest(
            id: "o1", action: .provide(quoteReference: "P-quote-1", items: items), acceptBy: Make.t0 + .hours(1),
            activateBy: Make.t0 + .days(30), term: nil)
        let accepted = core.handle(.message(from: "B", .order(order)), now: Make.t0, entropy: &entropy)
        #expect(
            accepted.records.map(\.kind) == [
                "order.decomposed", "sof.reserve", "order.accepted", "sof.activation_requested",
            ])
        #expect(core.view.orderReference(buyer: "B", orderID: "o1") == "P-order-2")
        let timer = try #require(accepted.timers.first)
        #expect(timer.0.purpose == .sco(.elementActivation(itemID: "item-1")))
        #expect(timer.1 == Make.t0 + .days(10))
        let activated = core.handle(.timer(timer.0), now: timer.1, entropy: &entropy)
        #expect(activated.records.map(\.kind) == ["sof.activated", "sco.chain_tested", "order.activated"])
        #expect(core.view.activeServiceIDs(of: "B") == ["P-svc-3"])
        #expect(core.view.orderReference(buyer: "B", orderID: "o1") == nil)
    }

    @Test(
        "a notice about an order this provider placed goes to the B-BUS; the buyer's about its own order to the S-BUS")
    mutating func noticeRouting() throws {
        var core = Make.provider("P", markup: 0, sellers: ["S"])
        let payload = Make.poq([("UNI", "NYC", nil)], immediate: true)
        let asked = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let toSeller = try #require(asked.requests.first)
        let offer = ElementOffer(
            confidence: .green, confidenceReason: "on-net", installationInterval: .days(3), deliveryType: .onNet,
            price: Money(amount: 80), validUntil: Make.t0 + .days(30))
        let answer = SupplyResponse(
            requestID: toSeller.request.id, sellerReference: "S-quote-1", kind: .inquiry, state: .ready,
            items: [ItemAnswer(itemID: "item-1", state: .ready, offer: offer)], answeredAt: Make.t0)
        let quoted = core.handle(.message(from: "S", .response(answer)), now: Make.t0, entropy: &entropy)
        let reference = try #require(quoted.finalResponse?.sellerReference)
        let items = try #require(core.view.quotedItems(reference, buyer: "B")).values.sorted { "\($0)" < "\($1)" }
        let order = OrderRequest(
            id: "o1", action: .provide(quoteReference: reference, items: items), acceptBy: Make.t0 + .hours(1),
            activateBy: Make.t0 + .days(30), term: nil)
        let placed = core.handle(.message(from: "B", .order(order)), now: Make.t0, entropy: &entropy)
        let subOrder = try #require(
            placed.sent.compactMap { sent -> OrderRequest? in
                if case .order(let order) = sent.message { order } else { nil }
            }.first)
        // The seller accepts its sub-order: through the B-BUS and the SCO, the buyer hears Order Accepted.
        let acceptance = OrderNotice(
            orderID: subOrder.id, sellerOrderReference: "S-order-1", event: .accepted, at: Make.t0)
        let accepted = core.handle(.message(from: "S", .orderNotice(acceptance)), now: Make.t0, entropy: &entropy)
        #expect(accepted.records.map(\.kind) == ["order.accepted"])
        #expect(accepted.records.map(\.counterparty) == ["B"])
        // The buyer cancels its order: through the S-BUS and the SCO, the seller's order is cancelled.
        let cancellation = OrderNotice(
            orderID: "o1", sellerOrderReference: "", event: .cancelled("no longer needed"), at: Make.t0)
        let cancelled = core.handle(.message(from: "B", .orderNotice(cancellation)), now: Make.t0, entropy: &entropy)
        #expect(cancelled.records.map(\.kind) == ["order.cancelled"])
        #expect(cancelled.records.map(\.counterparty) == ["S"])
        #expect(core.view.orderReference(buyer: "B", orderID: "o1") == nil)
    }
}

/// Timers as journals keep them.
struct TimerKeyCodingTests {
    @Test("a typed timer survives the journal's JSON round trip")
    func roundTrip() throws {
        let key = TimerKey(buyer: "B", requestID: "o1", purpose: .sco(.elementActivation(itemID: "uni")))
        let decoded = try JSONDecoder().decode(TimerKey.self, from: try JSONEncoder().encode(key))
        #expect(decoded == key)
    }

    @Test(
        "timers journaled as text before they were typed are read back as the role's timer",
        arguments: [
            ("deadline", RoleTimer.bbus(.responseDeadline)), ("accept", .sco(.acceptanceWindow)),
            ("activation", .sco(.activationWindow)), ("element|uni", .sco(.elementActivation(itemID: "uni"))),
            ("change|", .sco(.changeDone)), ("term|P-svc-3", .sco(.endOfTerm(serviceID: "P-svc-3"))),
        ])
    func legacyText(text: String, timer: RoleTimer) throws {
        let json = #"{"buyer":"B","requestID":"o1","purpose":"\#(text)"}"#
        let decoded = try JSONDecoder().decode(TimerKey.self, from: Data(json.utf8))
        #expect(decoded.purpose == timer)
    }

    @Test("a timer name no role ever used is refused, not guessed")
    func unknownText() {
        let json = #"{"buyer":"B","requestID":"o1","purpose":"elephant"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TimerKey.self, from: Data(json.utf8)) }
    }
}
