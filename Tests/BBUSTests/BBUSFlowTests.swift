import CanonicalJSON
import Ledger
import Provider
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

struct BBUSFlowTests {
    var entropy = SeededEntropy(seed: 7)

    @Test("PDL-004 a request never reaches a seller on the loop-prevention list")
    mutating func neverToListedSeller() {
        var core = Make.provider("A", sellers: ["B", "C"])
        let loop = LoopPreventionList().appending("C", salt: entropy.bytes(16))
        let effects = core.handle(
            .message(from: "UP", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)]), loop: loop))),
            now: Make.t0, entropy: &entropy)
        #expect(effects.requests.map(\.to) == ["B"])
    }

    @Test("a buyer's immediate POQ is asked of the seller immediately, a deferred one deferred, due by the deadline")
    mutating func sellersAskedInTheBuyersMode() throws {
        for immediate in [true, false] {
            var core = Make.provider("A", sellers: ["B"])
            let effects = core.handle(
                .message(
                    from: "UP",
                    .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)], immediate: immediate)))),
                now: Make.t0, entropy: &entropy)
            let sent = try #require(effects.requests.first?.request)
            #expect(sent.payload["instantSyncQualification"] == .bool(immediate))
            // MEF79-R11: a deferred request carries its requested response date, an immediate one may too.
            #expect(sent.payload["requestedPOQCompletionDate"] == .string(sent.respondBy.description))
        }
    }

    @Test("PDL-004 a seller that finds itself on the list refuses: unable, loop")
    mutating func sellerFindsItself() throws {
        var core = Make.provider("A", catalog: [Make.entry("EPL", at: ["LON"], cost: 1)])
        let loop = LoopPreventionList().appending("A", salt: entropy.bytes(16)).appending("X", salt: entropy.bytes(16))
        let effects = core.handle(
            .message(from: "X", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)]), loop: loop))),
            now: Make.t0, entropy: &entropy)
        let response = try #require(effects.finalResponse)
        #expect(response.state == .rejected)
        #expect(response.reason == "loop")
        #expect(effects.requests.isEmpty)
    }

    @Test("PDL-005 the downstream request lists every upstream buyer, sender included, salted and hashed")
    mutating func pseudoAnonymousList() throws {
        var core = Make.provider("B", sellers: ["C"])
        let upstream = LoopPreventionList().appending("A", salt: entropy.bytes(16))
        let effects = core.handle(
            .message(from: "A", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)]), loop: upstream))),
            now: Make.t0, entropy: &entropy)
        let sent = try #require(effects.requests.first?.request)
        #expect(sent.loopPreventionList.entries.count == 2)
        #expect(sent.loopPreventionList.lists("A"))
        #expect(sent.loopPreventionList.lists("B"))
        #expect(!sent.loopPreventionList.lists("C"))
        #expect(Set(sent.loopPreventionList.entries.map(\.salt)).count == 2)
        let listJSON = try JSONValue(encoding: sent.loopPreventionList).canonicalString
        #expect(!listJSON.contains("\"A\"") && !listJSON.contains("\"B\""))
        // The list travels inside the request entry on the downstream ledger.
        let record = try #require(effects.records.first { $0.kind == "inquiry.request" && $0.counterparty == "C" })
        #expect(record.body["loopPreventionList"]?.arrayValue?.count == 2)
    }

    @Test("PDL-011 each element that must be bought is asked of at least one seller")
    mutating func everyExternalElementAsked() {
        var core = Make.provider("A", sellers: ["B", "C"], catalog: [Make.entry("UNI", at: ["LON"], cost: 1)])
        let effects = core.handle(
            .message(
                from: "UP",
                .request(
                    Make.request(
                        "r1", payload: Make.poq([("UNI", "LON", nil), ("EVC", nil, nil), ("UNI", "ROME", nil)])))),
            now: Make.t0, entropy: &entropy)
        let asked = effects.requests.map {
            ($0.to, $0.request.payload["productOfferingQualificationItem"]?.arrayValue?.first?["id"])
        }
        #expect(asked.count == 4)
        #expect(Set(asked.compactMap { $0.1?.stringValue }) == ["item-2", "item-3"])
    }

    @Test("the response window propagates: sellers get the buyer's window minus this provider's processing time")
    mutating func windowPropagates() throws {
        var core = Make.provider("A", sellers: ["B"], processing: .seconds(2))
        let effects = core.handle(
            .message(
                from: "UP", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)]), window: .minutes(5)))),
            now: Make.t0, entropy: &entropy)
        let sent = try #require(effects.requests.first?.request)
        #expect(sent.respondBy == Make.t0 + .minutes(5) - .seconds(2))
        #expect(sent.payload["requestedPOQCompletionDate"]?.stringValue == "2026-01-05T09:04:58Z")
        #expect(effects.timers.map(\.1) == [Make.t0 + .minutes(5) - .seconds(2)])
    }

    @Test("silence past the window counts as unable to quote; the cheaper of the answers wins")
    mutating func silenceAndRanking() throws {
        var core = Make.provider("A", markup: 0, sellers: ["B", "C", "D"])
        let effects = core.handle(
            .message(from: "UP", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)])))), now: Make.t0,
            entropy: &entropy)
        let sent = effects.requests
        func offer(_ price: Double, _ color: ServiceabilityColor) -> ElementOffer {
            ElementOffer(
                confidence: color, confidenceReason: "", installationInterval: .days(5), deliveryType: .onNet,
                price: Money(amount: price), validUntil: nil)
        }
        for (seller, price, color) in [("B", 300.0, ServiceabilityColor.green), ("C", 200.0, .yellow)] {
            let request = try #require(sent.first { $0.to == PartyID(rawValue: seller) }?.request)
            let answer = SupplyResponse(
                requestID: request.id, sellerReference: "\(seller)-1", kind: .inquiry, state: .ready,
                items: [ItemAnswer(itemID: "item-1", state: .ready, offer: offer(price, color))], answeredAt: Make.t0)
            let more = core.handle(
                .message(from: PartyID(rawValue: seller), .response(answer)), now: Make.t0, entropy: &entropy)
            #expect(more.finalResponse == nil, "D has not answered yet")
        }
        let deadline = try #require(effects.timers.first)
        let final = core.handle(.timer(deadline.0), now: deadline.1, entropy: &entropy)
        let response = try #require(final.finalResponse)
        #expect(response.items.first?.offer?.price == Money(amount: 200))
        #expect(response.items.first?.offer?.deliveryType == .offNet)
        #expect(core.view.openRequestCount == 0)
    }
}
