import CanonicalJSON
import Ledger
import Provider
import RoleTestSupport
import SCO
import Sonata
import SupplyChain
import Testing

struct SCOFlowTests {
    var entropy = SeededEntropy(seed: 3)

    @Test("PDL-008 PDL-010 the SOF is asked about every element and each answer is recorded on the INT ledger")
    mutating func sofAskedAndRecorded() {
        var core = Make.provider("P", catalog: [Make.entry("UNI", at: ["LON"], cost: 1)])
        let effects = core.handle(
            .message(
                from: "B", .request(Make.request("r1", payload: Make.poq([("UNI", "LON", nil), ("EVC", nil, nil)])))),
            now: Make.t0, entropy: &entropy)
        let sofRecords = effects.records.filter { $0.kind == "sof.answer" }
        #expect(sofRecords.count == 2)
        #expect(sofRecords.allSatisfy { $0.counterparty == "P#sof" })
        #expect(sofRecords.map { $0.body["answer"]?.stringValue } == ["YES", "NO"])
    }

    @Test("PDL-009 the SOF answers YES with cost, lead time and limits, or NO with the reason")
    func sofAnswers() {
        let sof = SOF(catalog: [Make.entry("EPL", at: ["LON"], cost: 250, lead: 12, maxMbps: 500, build: ["BATH"])])
        let yes = sof.check(
            ServiceElement(itemID: "1", offering: "EPL", place: "LON", bandwidthMbps: 100), provideAlternative: false)
        #expect(yes.deliverable)
        #expect(yes.offer.price == Money(amount: 250))
        #expect(yes.offer.installationInterval == .days(12))
        #expect(yes.offer.deliveryType == .onNet)
        let build = sof.check(
            ServiceElement(itemID: "2", offering: "EPL", place: "BATH", bandwidthMbps: nil), provideAlternative: false)
        #expect(build.offer.confidence == .yellow)
        #expect(build.offer.deliveryType == .onNetWithBuild)
        #expect(build.offer.installationInterval == .days(32))
        let tooFast = sof.check(
            ServiceElement(itemID: "3", offering: "EPL", place: "LON", bandwidthMbps: 1000), provideAlternative: true)
        #expect(!tooFast.deliverable)
        #expect(tooFast.offer.confidenceReason.contains("1000 Mbps"))
        #expect(tooFast.offer.alternates.map(\.bandwidthMbps) == [500])
        let elsewhere = sof.check(
            ServiceElement(itemID: "4", offering: "EPL", place: "ROME", bandwidthMbps: nil), provideAlternative: true)
        #expect(!elsewhere.deliverable)
        #expect(elsewhere.offer.alternates.isEmpty)
    }

    @Test("PDL-013 PDL-014 internal and external answers chain into one itemised quote with a bundled total")
    mutating func chainItemisedAndBundled() throws {
        var core = Make.provider(
            "P", markup: 0, sellers: ["S"], catalog: [Make.entry("UNI", at: ["LON"], cost: 100, lead: 5)])
        let effects = core.handle(
            .message(
                from: "B", .request(Make.request("r1", payload: Make.poq([("UNI", "LON", nil), ("UNI", "NYC", nil)])))),
            now: Make.t0, entropy: &entropy)
        let toSeller = try #require(effects.requests.first)
        let answer = SupplyResponse(
            requestID: toSeller.request.id, sellerReference: "S-1", kind: .inquiry, state: .ready,
            items: [
                ItemAnswer(
                    itemID: "item-2", state: .ready,
                    offer: ElementOffer(
                        confidence: .yellow, confidenceReason: "build", installationInterval: .days(40),
                        deliveryType: .onNetWithBuild, price: Money(amount: 300), validUntil: Make.t0 + .days(7)))
            ], answeredAt: Make.t0)
        let final = core.handle(.message(from: "S", .response(answer)), now: Make.t0, entropy: &entropy)
        let response = try #require(final.finalResponse)
        #expect(response.items.map { $0.offer?.price } == [Money(amount: 100), Money(amount: 300)])
        #expect(response.totalPrice == Money(amount: 400))
        #expect(response.confidence == .yellow)
        #expect(response.items.map { $0.offer?.installationInterval } == [.days(5), .days(40)])
        #expect(response.validUntil == Make.t0 + .days(7), "a quote is valid no longer than the seller's")
        #expect(response.items[1].offer?.deliveryType == .offNetWithBuild)
    }

    @Test("MEF79-O7 MEF79-R47 alternates only when the buyer allows them, each with its own id")
    mutating func alternates() throws {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 1, maxMbps: 100)])
        let allowed = core.handle(
            .message(
                from: "B", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", 1000)], alternates: true)))),
            now: Make.t0, entropy: &entropy)
        let offered = try #require(allowed.finalResponse?.items.first?.offer)
        #expect(offered.confidence == .red)
        #expect(offered.alternates.map(\.id) == ["alt-1"])
        let refused = core.handle(
            .message(
                from: "B", .request(Make.request("r2", payload: Make.poq([("EPL", "LON", 1000)], alternates: false)))),
            now: Make.t0, entropy: &entropy)
        #expect(refused.finalResponse?.items.first?.offer?.alternates.isEmpty == true)
    }

    /// B asks P for 1000 Mbps of EPL at LON with alternates allowed (`payload`); P has no catalog and asks S, which
    /// answers red with `theirs` as its one alternate. Returns P's final answer to B.
    mutating func answerWithSellersAlternate(
        _ theirs: AlternateOffer, payload: JSONValue, core: inout ProviderCore
    ) throws -> SupplyResponse {
        let asked = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let toSeller = try #require(asked.requests.first { $0.to == "S" }?.request)
        let itemID = try #require(
            toSeller.payload["productOfferingQualificationItem"]?.arrayValue?.first?["id"]?.stringValue)
        let answer = SupplyResponse(
            requestID: toSeller.id, sellerReference: "S-1", kind: .inquiry, state: .ready,
            items: [
                ItemAnswer(itemID: itemID, state: .ready, offer: .red("1000 Mbps not at LON", alternates: [theirs]))
            ],
            answeredAt: Make.t0)
        let answered = core.handle(.message(from: "S", .response(answer)), now: Make.t0, entropy: &entropy)
        return try #require(answered.finalResponse)
    }

    @Test(
        "MEF79-R46 MEF79-D4 an alternate sourced from a seller is resold: its delivery type ON_NET there is OFF_NET here, held until the seller's 7 days (under this provider's 30), marked up 10 %"
    )
    mutating func sourcedAlternate() throws {
        var core = Make.provider("P", sellers: ["S"], offerings: ["S": ["EPL"]])
        let theirs = AlternateOffer(
            id: "alt-1", offering: "EPL", bandwidthMbps: 100, price: Money(amount: 50), installationInterval: .days(12),
            confidence: .green, deliveryType: .onNet, validUntil: Make.t0 + .days(7))
        let response = try answerWithSellersAlternate(
            theirs, payload: Make.poq([("EPL", "LON", 1000)], alternates: true), core: &core)
        let alternate = try #require(response.items.first?.offer?.alternates.first)
        #expect(alternate.deliveryType == .offNet)
        #expect(alternate.validUntil == Make.t0 + .days(7))
        #expect(alternate.installationInterval == .days(12))
        #expect(alternate.price == Money(amount: 55))
    }

    @Test(
        "a seller's alternate held until the earliest instant there is, or without a delivery type, is answered and rendered, not crashed on"
    )
    mutating func hostileAlternate() throws {
        var core = Make.provider("P", sellers: ["S"], offerings: ["S": ["EPL"]])
        let theirs = AlternateOffer(
            id: "alt-1", offering: "EPL", bandwidthMbps: 100, price: Money(amount: 50), installationInterval: .days(12),
            confidence: .green, deliveryType: nil, validUntil: Instant(milliseconds: .min))
        let payload = Make.poq([("EPL", "LON", 1000)], immediate: true, alternates: true)
        let response = try answerWithSellersAlternate(theirs, payload: payload, core: &core)
        let alternate = try #require(response.items.first?.offer?.alternates.first)
        #expect(alternate.deliveryType == nil)
        #expect(alternate.validUntil == Instant(milliseconds: .min))
        let rendered = core.view.sonataPOQ(
            response, request: try payload.decode(ProductOfferingQualificationCreate.self), createdAt: Make.t0)
        let configuration = try #require(
            rendered.productOfferingQualificationItem.first?.alternateProductOfferingProposal?.first?.alternateProduct
                .productConfiguration)
        #expect(configuration["deliveryType"] == nil)
        #expect(configuration["guaranteedUntilDate"]?.stringValue?.isEmpty == false)
    }

    @Test("MEF79-R103 an item that cannot meet the time abandons the items still in progress")
    mutating func abandonment() throws {
        var core = Make.provider(
            "P", sellers: ["NEAR", "FAR"], latency: ["NEAR": .milliseconds(5), "FAR": .seconds(30)],
            offerings: ["NEAR": ["UNI"], "FAR": ["TRANSIT"]], catalog: [Make.entry("PORT", at: ["*"], cost: 1)])
        let payload = Make.poq([("PORT", nil, nil), ("UNI", "KYIV", nil), ("TRANSIT", nil, nil)])
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload, window: .seconds(20)))), now: Make.t0,
            entropy: &entropy)
        let response = try #require(effects.finalResponse)
        #expect(response.state == .unableToMeetTime)
        #expect(response.items.map(\.state) == [.ready, .abandoned, .unableToMeetTime])
        #expect(MEF79POQState.unableToMeetTime.matrixViolation(itemStates: response.items.map(\.state)) == nil)
        // The request already sent to NEAR is forgotten: its late answer changes nothing.
        let toNear = try #require(effects.requests.first { $0.to == "NEAR" }?.request)
        let late = SupplyResponse(
            requestID: toNear.id, sellerReference: "NEAR-1", kind: .inquiry, state: .ready, items: [],
            answeredAt: Make.t0)
        #expect(core.handle(.message(from: "NEAR", .response(late)), now: Make.t0, entropy: &entropy).isEmpty)
    }
}

extension TimeSpan {
    static func milliseconds(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value) }
}
