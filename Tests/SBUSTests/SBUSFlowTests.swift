import CanonicalJSON
import Ledger
import Provider
import RoleTestSupport
import SBUS
import Sonata
import SupplyChain
import Testing

struct SBUSFlowTests {
    var entropy = SeededEntropy(seed: 1)

    @Test("PDL-015 the buyer's contractual discount is applied after the markup")
    func discount() {
        let sbus = SBUS(party: "P", configuration: Make.sbusConfiguration("P", markup: 1_000, discounts: ["GOLD": 500]))
        #expect(sbus.price(cost: Money(amount: 100), for: "GOLD") == Money(amount: 104.50))
        #expect(sbus.price(cost: Money(amount: 100), for: "OTHER") == Money(amount: 110))
    }

    @Test("PDL-002 PDL-003 PDL-016 every inquiry gets a Quote or an Unable to Quote answer")
    mutating func everyInquiryAnswered() {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100)])
        let quotable = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)])))), now: Make.t0,
            entropy: &entropy)
        #expect(quotable.finalResponse?.state == .ready)
        #expect(quotable.finalResponse?.items.first?.offer?.confidence == .green)
        let unquotable = core.handle(
            .message(from: "B", .request(Make.request("r2", payload: Make.poq([("EPL", "PARIS", nil)])))), now: Make.t0,
            entropy: &entropy)
        #expect(unquotable.finalResponse?.state == .ready)
        #expect(unquotable.finalResponse?.items.first?.offer?.confidence == .red)
        #expect(unquotable.finalResponse?.items.first?.offer?.price == nil)
    }

    @Test("PDL-007 MEF79-R32 receipt is recorded on the upstream ledger with a unique id per request")
    mutating func receiptRecorded() {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100)])
        var references: [String] = []
        for id in ["r1", "r2"] {
            let effects = core.handle(
                .message(from: "B", .request(Make.request(id, payload: Make.poq([("EPL", "LON", nil)])))), now: Make.t0,
                entropy: &entropy)
            let receipt = effects.records.first { $0.kind == "inquiry.receipt" }
            #expect(receipt?.counterparty == "B")
            #expect(receipt?.refs["request"] == id)
            references.append(receipt?.refs["quote"] ?? "")
        }
        #expect(Set(references).count == 2)
        #expect(!references.contains(""))
    }

    @Test("PDL-017 PDL-018 the answer is recorded upstream with its id and a validity timestamp")
    mutating func responseRecordedWithValidity() throws {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100)])
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)])))), now: Make.t0,
            entropy: &entropy)
        let record = try #require(effects.records.first { $0.kind == "quote.response" })
        let response = try #require(effects.finalResponse)
        #expect(record.counterparty == "B")
        #expect(record.refs["quote"] == response.sellerReference)
        #expect(response.validUntil == Make.t0 + .days(30))
        #expect(record.body["quote"]?["validUntil"]?.stringValue == "2026-02-04T09:00:00Z")
        #expect(record.body["quote"]?["total"]?.numberValue == 110)
    }

    @Test("MEF79-R3 MEF79-R30 MEF79-R31 an immediate POQ gets one READY answer, a deferred one ACKNOWLEDGED first")
    mutating func immediateAndDeferred() {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100)])
        let immediate = core.handle(
            .message(
                from: "B", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)], immediate: true)))),
            now: Make.t0, entropy: &entropy)
        #expect(immediate.sent.map(\.message.name) == ["response"])
        let deferred = core.handle(
            .message(from: "B", .request(Make.request("r2", payload: Make.poq([("EPL", "LON", nil)])))), now: Make.t0,
            entropy: &entropy)
        #expect(deferred.sent.map(\.message.name) == ["acknowledgement", "response"])
        guard case .acknowledgement(let ack) = deferred.sent[0].message else { return }
        #expect(ack.state == .acknowledged)
        #expect(ack.items.allSatisfy { $0.state == .acknowledged })
    }

    @Test("MEF79-R5 MEF79-R6 MEF79-R92 only a registered buyer of a deferred POQ is notified")
    mutating func notifications() {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100)])
        _ = core.handle(
            .message(from: "LISTENER", .hubRegistration(EventSubscriptionInput(callback: "https://l.example"))),
            now: Make.t0, entropy: &entropy)
        let registered = core.handle(
            .message(from: "LISTENER", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)])))),
            now: Make.t0, entropy: &entropy)
        // POQ state and item state, at the start and at the end (one item): no query means every event type.
        #expect(registered.notifications.map(\.state) == ["inProgress", "inProgress", "done.ready", "done.ready"])
        #expect(registered.notifications.allSatisfy { $0.to == "LISTENER" })
        let unregistered = core.handle(
            .message(from: "QUIET", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)])))),
            now: Make.t0, entropy: &entropy)
        #expect(unregistered.notifications.isEmpty)
        let immediate = core.handle(
            .message(
                from: "LISTENER",
                .request(Make.request("r2", payload: Make.poq([("EPL", "LON", nil)], immediate: true)))),
            now: Make.t0, entropy: &entropy)
        #expect(immediate.notifications.isEmpty)
    }

    @Test("MEF79-R91 no notification of a type the buyer did not register for")
    mutating func notificationTypes() {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100)])
        _ = core.handle(
            .message(
                from: "B",
                .hubRegistration(
                    EventSubscriptionInput(callback: "https://b.example", query: "eventType=poqItemStateChangeEvent"))),
            now: Make.t0, entropy: &entropy)
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil)])))), now: Make.t0,
            entropy: &entropy)
        let types = effects.sent.compactMap { sent -> POQEventType? in
            if case .notification(let event, _) = sent.message { return event.eventType }
            return nil
        }
        #expect(types == [.poqItemStateChangeEvent, .poqItemStateChangeEvent], "no POQ state-change event")
    }

    @Test("MEF79-R9 MEF79-R41 an invalid POQ is REJECTED with its findings and no items")
    mutating func invalidRejected() throws {
        var core = Make.provider("P")
        let payload = Make.poq([("EPL", "LON", nil)]).replacingMember("relatedContactInformation", with: nil)
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let response = try #require(effects.finalResponse)
        #expect(response.state == .rejected)
        #expect(response.items.isEmpty)
        #expect(response.findings.map(\.rule) == ["MEF79-R9"])
        #expect(effects.records.first { $0.kind == "quote.response" }?.body["findings"] != nil)
    }

    /// The answer rules, one requirement per test, are in `SBUSAnswerRulesTests`; this only checks that the
    /// response validator the node's conformance checks use agrees with the rendering.
    @Test("the rendered Sonata answer to a three-item POQ passes the response validator")
    mutating func renderedAnswerPassesValidator() throws {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100, maxMbps: 100)])
        let payload = Make.poq([("EPL", "LON", 10), ("EPL", "PARIS", nil), ("EPL", "LON", 1000)], alternates: true)
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let response = try #require(effects.finalResponse)
        let request = try payload.decode(ProductOfferingQualificationCreate.self)
        let rendered = core.view.sonataPOQ(response, request: request, createdAt: Make.t0)
        #expect(POQValidator.validateResponse(rendered, to: request) == [])
        #expect(rendered.productOfferingQualificationItem[2].alternateProductOfferingProposal?.count == 1)
    }
}

extension JSONValue {
    func replacingMember(_ key: String, with value: JSONValue?) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}

struct NotificationContentTests {
    var entropy = SeededEntropy(seed: 5)

    @Test("MEF79-R93 MEF79-R94 state notifications carry the POQ state, item notifications the item and its state")
    mutating func notificationContent() throws {
        var core = Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 1)])
        _ = core.handle(
            .message(
                from: "B",
                .hubRegistration(
                    EventSubscriptionInput(
                        callback: "https://b.example", query: "eventType=poqStateChangeEvent,poqItemStateChangeEvent"))),
            now: Make.t0, entropy: &entropy)
        let effects = core.handle(
            .message(
                from: "B", .request(Make.request("r1", payload: Make.poq([("EPL", "LON", nil), ("EPL", "ROME", nil)])))),
            now: Make.t0, entropy: &entropy)
        let events = effects.sent.compactMap { sent -> (POQEventType, String?, String)? in
            guard case .notification(let event, let state) = sent.message else { return nil }
            return (event.eventType, event.event.poqItemId, state)
        }
        #expect(events.filter { $0.0 == .poqStateChangeEvent }.map(\.2) == ["inProgress", "done.ready"])
        let itemEvents = events.filter { $0.0 == .poqItemStateChangeEvent }
        #expect(itemEvents.map(\.1) == ["item-1", "item-2", "item-1", "item-2"])
        #expect(itemEvents.map(\.2) == ["inProgress", "inProgress", "done.ready", "done.ready"])
    }
}
