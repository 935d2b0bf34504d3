import CanonicalJSON
import Ledger
import RoleTestSupport
import SCO
import Sonata
import SupplyChain
import Testing

/// The SCO's fulfilment driven directly: an order of three elements (two from its SOF, one from seller S), each
/// reserved or ordered, activated one by one, and chained and tested only when all are active.
struct SCOFulfilmentTests {
    var sco = Make.sco(
        "P",
        catalog: [
            Make.entry("UNI", at: ["LON"], cost: 100, lead: 10), Make.entry("EVC", at: ["*"], cost: 300, lead: 5),
        ])
    var ids = IDSequence(party: "P")
    let key = OrderKey(buyer: "B", orderID: "o1")
    let sellerSource = Source.seller("S", requestID: "P-rq-1", sellerReference: "S-quote-1")

    /// The quoted elements: item-1 UNI at LON and item-2 EVC from the SOF, item-3 UNI at NYC from seller S.
    func placement(id: RequestID = "o1", elements: [QuotedElement]? = nil) -> OrderPlacement {
        let poq = Make.poq([("UNI", "LON", 1000), ("EVC", nil, 1000), ("UNI", "NYC", 1000)])
        let items = poq["productOfferingQualificationItem"]?.arrayValue ?? []
        let offer = ElementOffer(
            confidence: .green, confidenceReason: "on-net", installationInterval: .days(10), deliveryType: .onNet,
            price: Money(amount: 100), validUntil: nil)
        let sources: [[Candidate]] = [
            [Candidate(source: .internal, offer: offer)], [Candidate(source: .internal, offer: offer)],
            [Candidate(source: sellerSource, offer: offer)],
        ]
        let quoted = items.indices.compactMap { index -> QuotedElement? in
            guard let item = try? items[index].decode(ProductOfferingQualificationItemCreate.self) else { return nil }
            return QuotedElement(
                itemID: item.id, item: items[index], element: ServiceElement(item: item), sources: sources[index])
        }
        return OrderPlacement(
            key: OrderKey(buyer: "B", orderID: id),
            order: OrderRequest(
                id: id, action: .provide(quoteReference: "P-quote-1", items: items), acceptBy: Make.t0 + .hours(1),
                activateBy: Make.t0 + .days(30), term: nil), reference: "P-order-2", quoteReference: "P-quote-1",
            elements: elements ?? quoted)
    }

    func sellerNotice(_ event: OrderEvent, evidence: [ActivationEvidence]? = nil) -> BBUSToSCO {
        .sellerNotice(
            SellerNotice(
                order: key, itemID: "item-3", seller: "S",
                notice: OrderNotice(
                    orderID: "P-ord-3", sellerOrderReference: "S-order-1", event: event, at: Make.t0,
                    evidence: evidence)))
    }

    /// Places the order, has S accept it: Order Accepted, the SOF's two elements activating.
    mutating func accepted() -> [RoleStep] {
        _ = sco.handle(.fulfil(placement()), now: Make.t0, ids: &ids)
        return sco.handle(sellerNotice(.accepted), now: Make.t0 + .minutes(1), ids: &ids)
    }

    @Test(
        "PDL-026 PDL-027 PDL-028 the order is decomposed element by element as quoted: SOF elements reserved, the seller's handed to the B-BUS"
    )
    mutating func decomposition() throws {
        let steps = sco.handle(.fulfil(placement()), now: Make.t0, ids: &ids)
        let decomposed = try #require(steps.records.first)
        #expect(decomposed.kind == "order.decomposed")
        #expect(decomposed.counterparty == "P#sof")
        #expect(decomposed.refs == ["order": "o1", "sellerOrder": "P-order-2", "quote": "P-quote-1"])
        let elements = try #require(decomposed.body["elements"]?.arrayValue)
        #expect(elements.count == 3)
        #expect(elements.first == "item-1: internal")
        #expect(elements.dropFirst().first == "item-2: internal")
        #expect(elements.last == "item-3: S")
        let reservations = steps.records.filter { $0.kind == "sof.reserve" }
        #expect(reservations.map { $0.refs["element"] } == ["item-1", "item-2"])
        #expect(
            reservations.map { $0.body["answer"]?.stringValue }
                == ["Available: UNI reserved at LON", "Available: EVC reserved at (no place)"])
        guard case .placeSubOrder(let sub) = try #require(steps.scoToBBUS.first) else {
            Issue.record("item-3 was not ordered from its seller")
            return
        }
        #expect(sub.itemID == "item-3")
        #expect(sub.seller == "S")
        #expect(sub.quoteReference == "S-quote-1")
        #expect(steps.scoToBBUS.count == 1)
        // Not accepted until the seller accepts.
        #expect(steps.buyerEvents.isEmpty)
    }

    @Test("PDL-045 PDL-046 PDL-047 the chain is tested only once every element is active, from each element's evidence")
    mutating func chainTestWaitsForAll() throws {
        let accepted = accepted()
        #expect(accepted.buyerEvents == [.accepted])
        #expect(
            accepted.effects.timers.map(\.0.purpose) == [
                .sco(.elementActivation(itemID: "item-1")), .sco(.elementActivation(itemID: "item-2")),
                .sco(.activationWindow),
            ])
        let first = sco.fire(.elementActivation(itemID: "item-1"), key: key, now: Make.t0 + .days(10), ids: &ids)
        #expect(first.records.map(\.kind) == ["sof.activated"])
        let second = sco.fire(.elementActivation(itemID: "item-2"), key: key, now: Make.t0 + .days(10), ids: &ids)
        #expect(second.records.map(\.kind) == ["sof.activated"])
        #expect(second.buyerEvents.isEmpty)
        let evidence = ActivationEvidence(
            itemID: "item-3", serviceID: "S-svc-4", offering: "UNI", place: "NYC", bandwidthMbps: 1000)
        let last = sco.handle(
            sellerNotice(.activated(serviceID: "S-svc-4"), evidence: [evidence]), now: Make.t0 + .days(11), ids: &ids)
        let tested = try #require(last.records.first { $0.kind == "sco.chain_tested" })
        #expect(tested.body["result"] == "PASS")
        #expect(tested.body["checks"]?.arrayValue?.count == 3)
        #expect(tested.body["evidence"]?.arrayValue?.last?["serviceId"] == "S-svc-4")
        #expect(last.buyerEvents == [.activated(serviceID: "P-svc-1")])
        let service = try #require(sco.inventory["P-svc-1"])
        #expect(service.elements.map(\.sellerServiceID) == [nil, nil, "S-svc-4"])
    }

    @Test(
        "MEF79-R23 a new item related to B's product P-svc-1 is sourced naming the part S sold as S's S-svc-4; another buyer's relationship to it names nothing"
    )
    mutating func relatedProductsResolved() throws {
        _ = accepted()
        for item in ["item-1", "item-2"] {
            _ = sco.fire(.elementActivation(itemID: item), key: key, now: Make.t0 + .days(10), ids: &ids)
        }
        let evidence = ActivationEvidence(
            itemID: "item-3", serviceID: "S-svc-4", offering: "UNI", place: "NYC", bandwidthMbps: 1000)
        _ = sco.handle(
            sellerNotice(.activated(serviceID: "S-svc-4"), evidence: [evidence]), now: Make.t0 + .days(11), ids: &ids)
        try #require(sco.inventory["P-svc-1"] != nil)
        // UNI at NYC is not in the SOF's catalog: the item is sourced from sellers.
        var root = try #require(Make.poq([("UNI", "NYC", 100)]).objectValue)
        var item = try #require(root["productOfferingQualificationItem"]?.arrayValue?.first?.objectValue)
        var product = try #require(item["product"]?.objectValue)
        product["productRelationship"] = [
            ["relationshipType": "RELIES_ON", "id": "P-svc-1"], ["relationshipType": "RELIES_ON", "id": "P-svc-77"],
        ]
        item["product"] = .object(product)
        root["productOfferingQualificationItem"] = [.object(item)]
        let payload = JSONValue.object(root)
        var related: [PartyID: [String: [PartyID: String]]] = [:]
        for buyer: PartyID in ["B", "C"] {
            let poq = try payload.decode(ProductOfferingQualificationCreate.self)
            let request = QualificationRequest(
                key: RequestKey(buyer: buyer, requestID: RequestID("q-\(buyer)")), kind: .poq,
                sellerReference: "P-poq-9",
                poq: poq, payload: payload, loopPreventionList: LoopPreventionList(),
                deadline: Make.t0 + .days(12))
            let steps = sco.handle(.qualify(request), now: Make.t0 + .days(11), ids: &ids)
            guard case .source(let sourcing) = try #require(steps.scoToBBUS.first) else {
                Issue.record("the item was not handed to the B-BUS")
                continue
            }
            related[buyer] = try #require(sourcing.needs.first).relatedProducts
        }
        #expect(related == ["B": ["P-svc-1": ["S": "S-svc-4"]], "C": [:]])
    }

    @Test(
        "PDL-033 PDL-050 once the seller accepts, the SOF is asked to activate each of its two elements by the window's end"
    )
    mutating func activationRequested() throws {
        let steps = accepted()
        let requests = steps.records.filter { $0.kind == "sof.activation_requested" }
        #expect(requests.map { $0.refs["element"] } == ["item-1", "item-2"])
        // The order's activation window ends 30 days after t0; the SCO keeps its one second of processing time.
        #expect(requests.map { $0.body["windowEnds"] } == ["2026-02-04T08:59:59Z", "2026-02-04T08:59:59Z"])
        #expect(requests.map { $0.body["offering"] } == ["UNI", "EVC"])
    }

    @Test("PDL-037 PDL-041 the SOF activates each of its elements after its lead time and reports each activated")
    mutating func internalElementsActivated() throws {
        _ = accepted()
        let evc = sco.fire(.elementActivation(itemID: "item-2"), key: key, now: Make.t0 + .days(5), ids: &ids)
        #expect(evc.records.map(\.kind) == ["sof.activated"])
        #expect(evc.records.first?.refs["element"] == "item-2")
        let uni = sco.fire(.elementActivation(itemID: "item-1"), key: key, now: Make.t0 + .days(10), ids: &ids)
        #expect(uni.records.map(\.kind) == ["sof.activated"])
        #expect(uni.records.first?.refs["element"] == "item-1")
    }

    @Test("PDL-046 PDL-048 an element whose evidence does not fit fails the chain test without an injected fault")
    mutating func evidenceMismatchFails() throws {
        _ = accepted()
        _ = sco.fire(.elementActivation(itemID: "item-1"), key: key, now: Make.t0 + .days(10), ids: &ids)
        _ = sco.fire(.elementActivation(itemID: "item-2"), key: key, now: Make.t0 + .days(10), ids: &ids)
        let elsewhere = ActivationEvidence(
            itemID: "item-3", serviceID: "S-svc-4", offering: "UNI", place: "BOSTON", bandwidthMbps: 1000)
        let steps = sco.handle(
            sellerNotice(.activated(serviceID: "S-svc-4"), evidence: [elsewhere]), now: Make.t0 + .days(11),
            ids: &ids)
        let tested = try #require(steps.records.first { $0.kind == "sco.chain_tested" })
        #expect(tested.body["result"] == "FAIL")
        #expect(tested.body["injectedFault"] == false)
        #expect(
            steps.buyerEvents == [
                .failed("PDL-048: the service chain test failed: item-3: activated at BOSTON, ordered at NYC")
            ])
        // PDL-057: the SOF's two elements released; PDL-058: the seller's order cancelled.
        #expect(steps.records.filter { $0.kind == "sof.released" }.map { $0.refs["element"] } == ["item-1", "item-2"])
        guard case .tellSellers(_, let itemIDs, let event, let closing) = try #require(steps.scoToBBUS.first) else {
            Issue.record("the seller's order was not cancelled")
            return
        }
        #expect(itemIDs == ["item-1", "item-2", "item-3"])
        #expect(
            event == .cancelled("PDL-048: the service chain test failed: item-3: activated at BOSTON, ordered at NYC"))
        #expect(closing)
        #expect(sco.inventory.isEmpty)
        #expect(sco.sof.inUse == ["UNI": 0, "EVC": 0])
    }

    @Test("PDL-048 a seller's Order Activated without evidence fails the chain test")
    mutating func missingEvidenceFails() throws {
        _ = accepted()
        _ = sco.fire(.elementActivation(itemID: "item-1"), key: key, now: Make.t0 + .days(10), ids: &ids)
        _ = sco.fire(.elementActivation(itemID: "item-2"), key: key, now: Make.t0 + .days(10), ids: &ids)
        let steps = sco.handle(sellerNotice(.activated(serviceID: "S-svc-4")), now: Make.t0 + .days(11), ids: &ids)
        #expect(
            steps.buyerEvents == [.failed("PDL-048: the service chain test failed: item-3: no activation evidence")])
    }

    @Test("PDL-048 the injected fault still fails a chain whose evidence fits")
    mutating func injectedFault() throws {
        sco = Make.sco("P", catalog: [Make.entry("EVC", at: ["*"], cost: 300, lead: 5)], chainTestFails: true)
        let only = try #require(placement().elements.dropFirst().first)
        _ = sco.handle(.fulfil(placement(elements: [only])), now: Make.t0, ids: &ids)
        let steps = sco.fire(.elementActivation(itemID: "item-2"), key: key, now: Make.t0 + .days(5), ids: &ids)
        let tested = try #require(steps.records.first { $0.kind == "sco.chain_tested" })
        #expect(tested.body["injectedFault"] == true)
        #expect(tested.body["checks"]?.arrayValue?.first?["result"] == "PASS")
        #expect(steps.buyerEvents == [.failed("PDL-048: the service chain test failed")])
    }

    @Test("PDL-028 PDL-029 the SOF refuses a reservation once capacity is exhausted and the order is rejected")
    mutating func capacityExhausted() throws {
        sco = Make.sco("P", catalog: [Make.entry("EVC", at: ["*"], cost: 300, lead: 5, capacity: 1)])
        let only = try #require(placement().elements.dropFirst().first)
        let first = sco.handle(.fulfil(placement(id: "o1", elements: [only])), now: Make.t0, ids: &ids)
        #expect(first.buyerEvents == [.accepted])
        let second = sco.handle(.fulfil(placement(id: "o2", elements: [only])), now: Make.t0, ids: &ids)
        let reservation = try #require(second.records.first { $0.kind == "sof.reserve" })
        #expect(reservation.body["answer"] == "Rejected: no capacity left for EVC (1 in use)")
        #expect(second.buyerEvents == [.rejected("PDL-029: Rejected: no capacity left for EVC (1 in use)")])
        #expect(second.effects.timers.isEmpty)
        #expect(sco.sof.inUse == ["EVC": 1])
    }

    @Test("PDL-034 an order not accepted within the Order Acceptance Window is rejected and its reservations released")
    mutating func acceptanceWindow() throws {
        _ = sco.handle(.fulfil(placement()), now: Make.t0, ids: &ids)
        let steps = sco.fire(.acceptanceWindow, key: key, now: Make.t0 + .hours(1), ids: &ids)
        #expect(steps.buyerEvents == [.rejected("PDL-034: not accepted within the Order Acceptance Window")])
        #expect(steps.records.filter { $0.kind == "sof.released" }.map { $0.refs["element"] } == ["item-1", "item-2"])
    }
}
