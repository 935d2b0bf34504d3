import CanonicalJSON
import Provider
import RoleTestSupport
import SBUS
import Sonata
import SupplyChain
import Testing

/// MEF 79.1 §8.3.2.2.2 — the Seller's answer to a CHANGE (Use Case 2c) — one requirement per test. B's product
/// `P-svc-3` (10 Mbps of EPL at LON) is in the provider's inventory; B asks to change it three ways: 10 Mbps at LON
/// (green), a move to PARIS (not served: red) and 1000 Mbps (more than the 100 Mbps EPL delivers: red, with an
/// alternate).
struct SBUSChangeAnswerTests {
    var setup = SBUSAnswerRulesTests()
    var entropy = SeededEntropy(seed: 17)

    /// 2026-01-25T09:00:00Z: twenty days after t0, when the CHANGE is received.
    static let receivedAt = "2026-01-25T09:00:00Z"

    mutating func change(
        immediate: Bool
    ) throws -> (effects: [Effect], rendered: [ProductOfferingQualification], request: JSONValue) {
        var core = try setup.coreWithProduct()
        let payload = SBUSAnswerRulesTests.changePayload(immediate: immediate, productID: "P-svc-3")
        let (effects, rendered) = try SBUSAnswerRulesTests.change(&core, payload, entropy: &entropy)
        return (effects, rendered, payload)
    }

    // Deferred answers (Tables 19 and 20).

    @Test("MEF79-R55 a deferred CHANGE is answered first with an acknowledgement, the Seller Response Code's success")
    mutating func deferredAcknowledged() throws {
        let (effects, _, _) = try change(immediate: false)
        #expect(effects.sent.map(\.message.name) == ["acknowledgement", "response"])
    }

    @Test("MEF79-R56 MEF79-R59 the acknowledgement carries the POQ identifier, unique in the seller's system")
    mutating func deferredIdentifier() throws {
        var core = try setup.coreWithProduct()
        let payload = SBUSAnswerRulesTests.changePayload(immediate: false, productID: "P-svc-3")
        let first = try SBUSAnswerRulesTests.change(&core, payload, requestID: "r1", entropy: &entropy)
        let second = try SBUSAnswerRulesTests.change(&core, payload, requestID: "r2", entropy: &entropy)
        let ids = [first.rendered.first?.id, second.rendered.first?.id]
        #expect(ids == ["P-quote-4", "P-quote-5"])
    }

    @Test("MEF79-R57 the acknowledgement's POQ state is ACKNOWLEDGED")
    mutating func deferredState() throws {
        #expect(try change(immediate: false).rendered.first?.state == .acknowledged)
    }

    @Test("MEF79-R58 MEF79-R61 every item of the acknowledgement is ACKNOWLEDGED")
    mutating func deferredItemStates() throws {
        let acknowledgement = try #require(try change(immediate: false).rendered.first)
        #expect(
            acknowledgement.productOfferingQualificationItem.map(\.state) == [
                .acknowledged, .acknowledged, .acknowledged,
            ])
    }

    @Test("MEF79-R60 the acknowledgement carries the POQ create date and state")
    mutating func deferredCreateDate() throws {
        let acknowledgement = try #require(try change(immediate: false).rendered.first)
        #expect(acknowledgement.stateChange?.map(\.state) == [.acknowledged])
        #expect(acknowledgement.stateChange?.map(\.changeDate.text) == [Self.receivedAt])
    }

    @Test("MEF79-R62 the acknowledgement echoes the CHANGE: action, product id, offering, attributes and place")
    mutating func deferredEcho() throws {
        let (_, rendered, request) = try change(immediate: false)
        let acknowledgement = try #require(rendered.first)
        #expect(acknowledgement.instantSyncQualification == false)
        #expect(acknowledgement.provideAlternative == true)
        #expect(acknowledgement.requestedPOQCompletionDate?.text == "2026-01-05T10:00:00Z")
        let sent = request["productOfferingQualificationItem"]?.arrayValue ?? []
        let echoed = try acknowledgement.productOfferingQualificationItem.map { try JSONValue(encoding: $0.product) }
        try #require(echoed.count == 3)
        try #require(sent.count == 3)
        for index in 0..<3 {
            #expect(echoed[index] == sent[index]["product"], "item \(index + 1)")
        }
        #expect(acknowledgement.productOfferingQualificationItem.map(\.action) == [.modify, .modify, .modify])
    }

    // Immediate answers (Tables 21 to 23).

    @Test("MEF79-R64 an immediate CHANGE is answered once, with the final answer")
    mutating func immediateResponse() throws {
        let (effects, _, _) = try change(immediate: true)
        #expect(effects.sent.map(\.message.name) == ["response"])
    }

    @Test("MEF79-R65 the immediate answer to a CHANGE echoes the request")
    mutating func immediateEcho() throws {
        let (_, rendered, request) = try change(immediate: true)
        let answer = try #require(rendered.last)
        #expect(answer.instantSyncQualification == true)
        let sent = request["productOfferingQualificationItem"]?.arrayValue ?? []
        let echoed = try answer.productOfferingQualificationItem.map { try JSONValue(encoding: $0.product) }
        try #require(echoed.count == 3)
        try #require(sent.count == 3)
        for index in 0..<3 {
            #expect(echoed[index] == sent[index]["product"], "item \(index + 1)")
        }
    }

    @Test("MEF79-R66 the immediate answer to a CHANGE carries its id, create date, seller contact and items")
    mutating func immediateMandatoryAttributes() throws {
        let answer = try #require(try change(immediate: true).rendered.last)
        #expect(answer.id == "P-quote-4")
        #expect(answer.stateChange?.first?.changeDate.text == Self.receivedAt)
        #expect(
            answer.relatedContactInformation.filter { $0.role == "sellerContactInformation" }.map(\.name) == ["P desk"])
        #expect(answer.productOfferingQualificationItem.map(\.id) == ["item-1", "item-2", "item-3"])
    }

    @Test("MEF79-R67 the immediate answer to a CHANGE is READY")
    mutating func immediateState() throws {
        #expect(try change(immediate: true).rendered.last?.state == .doneReady)
    }

    @Test("MEF79-R68 every item of a READY immediate answer to a CHANGE is READY")
    mutating func immediateItemStates() throws {
        let answer = try #require(try change(immediate: true).rendered.last)
        #expect(answer.productOfferingQualificationItem.map(\.state) == [.doneReady, .doneReady, .doneReady])
    }

    @Test("MEF79-R75 every item of the answer to a CHANGE states its confidence")
    mutating func confidence() throws {
        let answer = try #require(try change(immediate: true).rendered.last)
        #expect(answer.productOfferingQualificationItem.map(\.serviceabilityConfidence) == [.green, .red, .red])
    }

    @Test("MEF79-R74 MEF79-R76 a green CHANGE item carries its installation interval and delivery type (ON_NET)")
    mutating func intervalAndDeliveryType() throws {
        let (effects, rendered, _) = try change(immediate: true)
        let answer = try #require(rendered.last)
        #expect(
            answer.productOfferingQualificationItem.map(\.installationInterval) == [
                Duration(amount: 10, units: .calendarDays), nil, nil,
            ])
        // Sonata v7 has no delivery type: the confidence reason ends with it, the core's answer carries it as a field.
        #expect(
            answer.productOfferingQualificationItem.first?.serviceabilityConfidenceReason
                == "on-net at LON; delivery type ON_NET")
        #expect(effects.finalResponse?.items.map { $0.offer?.deliveryType } == [.onNet, nil, nil])
    }

    @Test("MEF79-D5 the green item of a deferred CHANGE's answer is guaranteed for the quote's 30 days")
    mutating func deferredGuaranteedUntil() throws {
        let answer = try #require(try change(immediate: false).rendered.last)
        #expect(
            answer.productOfferingQualificationItem.map { $0.guaranteedUntilDate?.text } == [
                "2026-02-24T09:00:00Z", nil, nil,
            ])
    }

    @Test("MEF79-D6 the green item of an immediate CHANGE's answer is guaranteed for the quote's 30 days")
    mutating func immediateGuaranteedUntil() throws {
        let answer = try #require(try change(immediate: true).rendered.last)
        #expect(
            answer.productOfferingQualificationItem.map { $0.guaranteedUntilDate?.text } == [
                "2026-02-24T09:00:00Z", nil, nil,
            ])
    }

    @Test("MEF79-R77 the alternate offered for the 1000 Mbps CHANGE has an id, unique within its item")
    mutating func alternateIdentifier() throws {
        let answer = try #require(try change(immediate: true).rendered.last)
        let alternates = answer.productOfferingQualificationItem.map { $0.alternateProductOfferingProposal?.map(\.id) }
        #expect(alternates == [nil, nil, ["alt-1"]])
    }
}
