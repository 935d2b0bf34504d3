import CanonicalJSON
import Ledger
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

@testable import SBUS

/// The S-BUS's order desk driven directly: a quote is put in its quote book through its own flow (receipt, then
/// the SCO's chained answer), then orders against it are checked (PDL-019..PDL-023).
struct SBUSOrderDeskTests {
    var sbus = SBUS(party: "P", configuration: Make.sbusConfiguration("P", markup: 1_000))
    var ids = IDSequence(party: "P")
    let payload = Make.poq([("UNI", "LON", 1000), ("EVC", nil, 1000)])

    /// Quotes both items of `payload` to buyer B: the UNI from the SOF at 100, the EVC from seller S at 50.
    mutating func quote(at now: Instant = Make.t0, kind: RequestKind = .inquiry) throws -> String {
        let steps = sbus.receive(Make.request("r1", payload: payload, kind: kind), from: "B", now: now, ids: &ids)
        guard case .qualify(let request) = try #require(steps.sbusToSCO.first) else {
            Issue.record("the S-BUS did not hand the request to the SCO")
            return ""
        }
        let internalOffer = ElementOffer(
            confidence: .green, confidenceReason: "on-net", installationInterval: .days(10), deliveryType: .onNet,
            price: Money(amount: 100), validUntil: nil)
        let sellerOffer = ElementOffer(
            confidence: .green, confidenceReason: "on-net", installationInterval: .days(5), deliveryType: .onNet,
            price: Money(amount: 50), validUntil: nil)
        let answered = sbus.handle(
            .qualified(
                key: request.key,
                outcomes: [
                    .sourced(itemID: "item-1", best: Candidate(source: .internal, offer: internalOffer), others: []),
                    .sourced(
                        itemID: "item-2",
                        best: Candidate(
                            source: .seller("S", requestID: "P-rq-2", sellerReference: "S-quote-1"),
                            offer: sellerOffer),
                        others: []),
                ]), now: now)
        let response = try #require(answered.effects.finalResponse)
        #expect(response.totalPrice == Money(amount: 165))
        return response.sellerReference
    }

    func order(_ quote: String, items: [JSONValue]? = nil, id: RequestID = "o1") -> OrderRequest {
        OrderRequest(
            id: id,
            action: .provide(
                quoteReference: quote, items: items ?? payload["productOfferingQualificationItem"]?.arrayValue ?? []),
            acceptBy: Make.t0 + .hours(2), activateBy: Make.t0 + .days(30), term: nil)
    }

    /// The reason of the Order Rejected notice the buyer was sent, if any.
    func rejection(_ steps: [RoleStep]) -> String? {
        steps.effects.sent.compactMap { sent -> String? in
            if case .orderNotice(let notice) = sent.message, case .rejected(let reason) = notice.event {
                reason
            } else {
                nil
            }
        }.first
    }

    @Test("PDL-019 PDL-020 PDL-025 an order repeating a valid quote goes to the SCO with every element and its source")
    mutating func validOrderForwarded() throws {
        let reference = try quote()
        #expect(reference == "P-quote-1")
        let steps = sbus.receive(order(reference), from: "B", now: Make.t0 + .minutes(1), ids: &ids)
        #expect(rejection(steps) == nil)
        guard case .fulfil(let placement) = try #require(steps.sbusToSCO.first) else {
            Issue.record("the order did not reach the SCO")
            return
        }
        #expect(placement.reference == "P-order-2")
        #expect(placement.quoteReference == "P-quote-1")
        #expect(placement.elements.map(\.itemID) == ["item-1", "item-2"])
        #expect(placement.elements[0].sources.map(\.source) == [.internal])
        #expect(
            placement.elements[1].sources.map(\.source)
                == [.seller("S", requestID: "P-rq-2", sellerReference: "S-quote-1")])
        #expect(sbus.orderReference(buyer: "B", orderID: "o1") == "P-order-2")
    }

    @Test("PDL-023 an order naming a quote this provider never gave the buyer is rejected, nothing reaches the SCO")
    mutating func unknownQuote() throws {
        _ = try quote()
        let steps = sbus.receive(order("P-quote-9"), from: "B", now: Make.t0, ids: &ids)
        #expect(rejection(steps) == Self.notAQuote("P-quote-9", "B"))
        #expect(steps.sbusToSCO.isEmpty)
        let otherBuyer = sbus.receive(order("P-quote-1"), from: "C", now: Make.t0, ids: &ids)
        #expect(rejection(otherBuyer) == Self.notAQuote("P-quote-1", "C"))
    }

    @Test("PDL-023 an order placed after the quote's validity is rejected")
    mutating func expiredQuote() throws {
        let reference = try quote()
        let steps = sbus.receive(order(reference), from: "B", now: Make.t0 + .days(31), ids: &ids)
        #expect(rejection(steps)?.hasPrefix("PDL-023: quote P-quote-1 expired at ") == true)
        #expect(steps.sbusToSCO.isEmpty)
    }

    @Test("PDL-023 a quote book that forgot an expired quote's offers refuses a late order with the same answer")
    mutating func expiredQuoteForgotten() throws {
        let expired = try quote()
        let late = Make.t0 + .days(31)
        let lateOrder = order(expired)
        var remembering = sbus
        var rememberingIDs = ids
        let answerBefore = rejection(remembering.receive(lateOrder, from: "B", now: late, ids: &rememberingIDs))
        #expect(answerBefore?.hasPrefix("PDL-023: quote \(expired) expired at ") == true)
        // Quotes given after the first one expired: the book sweeps once it holds twice as many as at the last
        // sweep (and at least 128).
        var fresh: [String] = []
        for _ in 0..<127 { fresh.append(try quote(at: late)) }
        #expect(sbus.quotes[expired]?.offersForgotten == true)
        #expect(sbus.quotes[expired]?.sources.isEmpty == true)
        #expect(sbus.quotesHoldingOffers == fresh)
        let answerAfter = rejection(sbus.receive(lateOrder, from: "B", now: late, ids: &ids))
        #expect(answerAfter == answerBefore)
        // A quote still valid keeps its offers: an order against it goes to the SCO with every source.
        let steps = sbus.receive(order(fresh[0], id: "o2"), from: "B", now: late + .minutes(1), ids: &ids)
        guard case .fulfil(let placement) = try #require(steps.sbusToSCO.first) else {
            Issue.record("the order against a valid quote did not reach the SCO")
            return
        }
        #expect(placement.elements.map(\.sources.count) == [1, 1])
    }

    /// The PDL-023 refusal of a reference that names no quote of this buyer's, as the buyer reads it.
    static func notAQuote(_ reference: String, _ buyer: String) -> String {
        "PDL-023: \(reference) is not a quote this provider gave \(buyer): order against an inquiry's quote "
            + "(a POQ's answer cannot be ordered)"
    }

    @Test("PDL-023 a POQ's answer is not kept in the quote book, and an order against it is refused")
    mutating func poqAnswerNotKept() throws {
        let reference = try quote(kind: .poq)
        #expect(sbus.quotes[reference] == nil)
        #expect(sbus.quotedItems(reference, buyer: "B") == nil)
        let steps = sbus.receive(order(reference), from: "B", now: Make.t0 + .minutes(1), ids: &ids)
        #expect(rejection(steps) == Self.notAQuote(reference, "B"))
        // The same words as for a reference never issued: nobody learns whether it exists.
        let unknown = sbus.receive(order("\(reference)0"), from: "B", now: Make.t0 + .minutes(1), ids: &ids)
        #expect(rejection(unknown) == Self.notAQuote("\(reference)0", "B"))
    }

    @Test(
        "PDL-021 PDL-022 an order that changes a quoted item is rejected, naming the field and asking for a new quote")
    mutating func alteredItem() throws {
        let reference = try quote()
        var items = try #require(payload["productOfferingQualificationItem"]?.arrayValue)
        items[0] = Make.poq([("UNI", "LON", 10_000)])["productOfferingQualificationItem"]?.arrayValue?[0] ?? .null
        let steps = sbus.receive(order(reference, items: items), from: "B", now: Make.t0, ids: &ids)
        let reason = try #require(rejection(steps))
        #expect(reason.hasPrefix("PDL-021: item item-1 differs from quote P-quote-1 at "))
        #expect(reason.contains("/product/productConfiguration/bandwidthMbps"))
        #expect(reason.hasSuffix("request a new quote (PDL-022)"))
        let missing = sbus.receive(order(reference, items: [items[1]], id: "o2"), from: "B", now: Make.t0, ids: &ids)
        #expect(rejection(missing) == "PDL-021: item item-1 of quote P-quote-1 is missing from the order")
    }

    @Test("PDL-049 Order Activated from the SCO is recorded on the upstream ledger with the evidence and sent")
    mutating func activationRecorded() throws {
        let reference = try quote()
        _ = sbus.receive(order(reference), from: "B", now: Make.t0, ids: &ids)
        let evidence = [
            ActivationEvidence(
                itemID: "item-1", serviceID: "P-svc-3", offering: "UNI", place: "LON", bandwidthMbps: 1000)
        ]
        let steps = sbus.handle(
            .orderEvent(
                OrderKey(buyer: "B", orderID: "o1"), reference: "P-order-2", .activated(serviceID: "P-svc-3"),
                evidence: evidence), now: Make.t0 + .days(10))
        let record = try #require(steps.records.first)
        #expect(record.counterparty == "B")
        #expect(record.kind == "order.activated")
        #expect(record.refs == ["order": "o1", "sellerOrder": "P-order-2"])
        #expect(record.body["evidence"]?.arrayValue?.first?["serviceId"]?.stringValue == "P-svc-3")
        #expect(steps.effects.sent.map(\.to) == ["B"])
        // The order is over: the desk no longer lists it.
        #expect(sbus.orderReference(buyer: "B", orderID: "o1") == nil)
    }

    @Test("PDL-055 the buyer's abandonment of an order reaches the S-BUS, which tells the SCO of it")
    func abandonmentPassedToSCO() throws {
        let notice = OrderNotice(
            orderID: "o1", sellerOrderReference: "P-order-2", event: .cancelled("no longer needed"), at: Make.t0)
        let steps = sbus.receive(notice, from: "B")
        #expect(steps.sbusToSCO.count == 1)
        guard case .buyerNotice(let key, let event) = try #require(steps.sbusToSCO.first) else {
            Issue.record("the S-BUS did not tell the SCO")
            return
        }
        #expect(key == OrderKey(buyer: "B", orderID: "o1"))
        #expect(event == .cancelled("no longer needed"))
    }

    @Test(
        "PDL-023 a quote the buyer declined is recorded as quote.declined, confirmed to it, and no order is accepted against it"
    )
    mutating func declinedQuote() throws {
        let reference = try quote()
        let decline = QuoteDecision(quoteReference: reference, action: .decline, reason: "too dear")
        // Another buyer cannot decline it; a still-valid quote cannot be cancelled: refused, nothing recorded.
        #expect(sbus.refusal(of: decline, from: "C", now: Make.t0)?.field == "/quoteId")
        #expect(sbus.receive(decline, from: "C", now: Make.t0).isEmpty)
        let cancel = QuoteDecision(quoteReference: reference, action: .cancel)
        #expect(
            sbus.refusal(of: cancel, from: "B", now: Make.t0)?.message.contains("only a quote still in progress")
                == true)
        let steps = sbus.receive(decline, from: "B", now: Make.t0 + .minutes(1))
        #expect(steps.records.map(\.kind) == ["quote.declined"])
        #expect(steps.records.first?.refs == ["request": "r1", "quote": reference])
        #expect(steps.records.first?.body["reason"] == "too dear")
        #expect(
            steps.effects.sent.map(\.message) == [.quoteDecision(decline.recorded(at: Make.t0 + .minutes(1)))])
        #expect(sbus.quotes[reference]?.offersForgotten == true)
        // Declined once is final.
        #expect(sbus.receive(decline, from: "B", now: Make.t0 + .minutes(2)).isEmpty)
        let ordered = sbus.receive(order(reference), from: "B", now: Make.t0 + .minutes(3), ids: &ids)
        #expect(rejection(ordered) == "PDL-023: quote \(reference) was declined by the buyer")
        #expect(ordered.sbusToSCO.isEmpty)
    }

    @Test(
        "PDL-023 a quote cancelled while the SCO works on it is recorded as quote.cancelled; the SCO's later answer is dropped and orders are refused"
    )
    mutating func cancelledQuote() throws {
        let steps = sbus.receive(
            Make.request("r1", payload: payload, kind: .inquiry), from: "B", now: Make.t0, ids: &ids)
        guard case .qualify(let request) = try #require(steps.sbusToSCO.first) else {
            Issue.record("the S-BUS did not hand the request to the SCO")
            return
        }
        let reference = request.sellerReference
        let decline = QuoteDecision(quoteReference: reference, action: .decline)
        #expect(sbus.refusal(of: decline, from: "B", now: Make.t0)?.message.contains("still in progress") == true)
        let cancelled = sbus.receive(
            QuoteDecision(quoteReference: reference, action: .cancel), from: "B", now: Make.t0 + .seconds(1))
        #expect(cancelled.records.map(\.kind) == ["quote.cancelled"])
        #expect(sbus.openRequestCount == 0)
        let offer = ElementOffer(
            confidence: .green, confidenceReason: "on-net", installationInterval: .days(10), deliveryType: .onNet,
            price: Money(amount: 100), validUntil: nil)
        let late = sbus.handle(
            .qualified(
                key: request.key,
                outcomes: [.sourced(itemID: "item-1", best: Candidate(source: .internal, offer: offer), others: [])]),
            now: Make.t0 + .seconds(2))
        #expect(late.records.isEmpty)
        #expect(late.effects.sent.isEmpty)
        let ordered = sbus.receive(order(reference), from: "B", now: Make.t0 + .minutes(1), ids: &ids)
        #expect(rejection(ordered) == "PDL-023: quote \(reference) was cancelled by the buyer")
    }

}
