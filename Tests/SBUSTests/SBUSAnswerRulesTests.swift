import CanonicalJSON
import Provider
import RoleTestSupport
import SBUS
import Sonata
import SupplyChain
import Testing

/// MEF 79.1 §8.3.2 — what a Seller's answer to a Create POQ must carry — one requirement per test, on the answer the
/// provider core gives and its MEF Sonata v7 rendering. The provider sells EPL at LON only, up to 100 Mbps, at a cost
/// of 100 with 10 days of lead time; every expected value below is written out, not computed by the code under test.
struct SBUSAnswerRulesTests {
    var entropy = SeededEntropy(seed: 11)

    /// Three items: green (10 Mbps at LON), red (PARIS is not served), red with an alternate (1000 Mbps at LON).
    static let items: [(String, String?, Int?)] = [("EPL", "LON", 10), ("EPL", "PARIS", nil), ("EPL", "LON", 1000)]

    /// 2026-01-05T09:00:00Z, when every request below is received.
    static let receivedAt = "2026-01-05T09:00:00Z"

    static func core() -> ProviderCore {
        Make.provider("P", catalog: [Make.entry("EPL", at: ["LON"], cost: 100, maxMbps: 100)])
    }

    /// A POQ whose items ask to CHANGE the buyer's product `productID` (Use Case 2c): action `modify`, the product's
    /// id, and the same three configurations as `items`.
    static func changePayload(immediate: Bool, productID: String) -> JSONValue {
        let add = Make.poq(items, immediate: immediate, alternates: true)
        guard case .object(var root) = add, let items = root["productOfferingQualificationItem"]?.arrayValue else {
            return add
        }
        root["productOfferingQualificationItem"] = .array(
            items.map { item in
                guard case .object(var fields) = item, case .object(var product) = fields["product"] else {
                    return item
                }
                fields["action"] = "modify"
                product["id"] = .string(productID)
                fields["product"] = .object(product)
                return .object(fields)
            })
        return .object(root)
    }

    /// The provider after buyer B has been quoted, has ordered and has had activated 10 Mbps of EPL at LON: the
    /// product `P-svc-3` is in its inventory.
    mutating func coreWithProduct() throws -> ProviderCore {
        var core = Self.core()
        let serviceID = try Self.activate(&core, Make.poq([("EPL", "LON", 10)], immediate: true), entropy: &entropy)
        try #require(serviceID == "P-svc-3")
        return core
    }

    /// Has buyer B quoted `payload` (the provider's first quote, `P-quote-1`), order it and have it activated;
    /// returns the service id B is given.
    static func activate(
        _ core: inout ProviderCore, _ payload: JSONValue, entropy: inout SeededEntropy
    ) throws -> String {
        _ = core.handle(
            .message(from: "B", .request(Make.request("r0", payload: payload))), now: Make.t0, entropy: &entropy)
        let items = try #require(core.view.quotedItems("P-quote-1", buyer: "B")).values.map { $0 }
        let order = OrderRequest(
            id: "o1", action: .provide(quoteReference: "P-quote-1", items: items), acceptBy: Make.t0 + .hours(1),
            activateBy: Make.t0 + .days(30), term: nil)
        let accepted = core.handle(.message(from: "B", .order(order)), now: Make.t0, entropy: &entropy)
        let timer = try #require(accepted.timers.first)
        _ = core.handle(.timer(timer.0), now: timer.1, entropy: &entropy)
        return try #require(core.view.activeServiceIDs(of: "B").first)
    }

    /// The answer to a CHANGE of B's product and its rendering.
    mutating func changeAnswer(
        productID: String = "P-svc-3"
    ) throws -> (response: SupplyResponse, rendered: ProductOfferingQualification) {
        var core = try coreWithProduct()
        let (effects, rendered) = try Self.change(
            &core, Self.changePayload(immediate: true, productID: productID), entropy: &entropy)
        return (try #require(effects.finalResponse), try #require(rendered.last))
    }

    /// The final answer to `payload` and its Sonata rendering with the POQ Create Date.
    mutating func answer(
        _ payload: JSONValue
    ) throws -> (effects: [Effect], response: SupplyResponse, rendered: ProductOfferingQualification) {
        var core = Self.core()
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let response = try #require(effects.finalResponse)
        let request = try payload.decode(ProductOfferingQualificationCreate.self)
        return (effects, response, core.view.sonataPOQ(response, request: request, createdAt: Make.t0))
    }

    @Test("MEF79-R28 each item of a deferred answer corresponds to precisely one request item, acknowledgement too")
    mutating func deferredItemsOneToOne() throws {
        let (effects, _, rendered) = try answer(Make.poq(Self.items, alternates: true))
        guard case .acknowledgement(let acknowledged) = effects.sent.first?.message else {
            Issue.record("a deferred POQ is acknowledged first")
            return
        }
        #expect(acknowledged.items.map(\.itemID) == ["item-1", "item-2", "item-3"])
        #expect(rendered.productOfferingQualificationItem.map(\.id) == ["item-1", "item-2", "item-3"])
    }

    @Test("MEF79-R42 each item of an immediate answer corresponds to precisely one request item")
    mutating func immediateItemsOneToOne() throws {
        let (_, response, rendered) = try answer(Make.poq(Self.items, immediate: true, alternates: true))
        #expect(response.items.map(\.itemID) == ["item-1", "item-2", "item-3"])
        #expect(rendered.productOfferingQualificationItem.map(\.id) == ["item-1", "item-2", "item-3"])
    }

    @Test("MEF79-R34 a deferred answer echoes the request: flags, completion date, buyer contact, each item's product")
    mutating func deferredEcho() throws {
        let payload = Make.poq(Self.items, alternates: true)
        let (_, _, rendered) = try answer(payload)
        #expect(rendered.instantSyncQualification == false)
        #expect(rendered.provideAlternative == true)
        #expect(rendered.requestedPOQCompletionDate?.text == "2026-01-05T10:00:00Z")
        #expect(
            rendered.relatedContactInformation.first
                == RelatedContactInformation(
                    name: "Buyer", emailAddress: "b@x.example", number: "1", role: "buyerContactInformation"))
        let sent = payload["productOfferingQualificationItem"]?.arrayValue ?? []
        let echoed = try rendered.productOfferingQualificationItem.map { try JSONValue(encoding: $0.product) }
        try #require(echoed.count == 3)
        try #require(sent.count == 3)
        for index in 0..<3 {
            #expect(echoed[index] == sent[index]["product"], "item \(index + 1)")
        }
        #expect(rendered.productOfferingQualificationItem.map(\.action) == [.add, .add, .add])
    }

    @Test("MEF79-R38 a successful immediate answer carries the POQ id, its create date, the seller contact and items")
    mutating func immediateMandatoryAttributes() throws {
        let (_, response, rendered) = try answer(Make.poq(Self.items, immediate: true, alternates: true))
        #expect(rendered.id == response.sellerReference)
        #expect(rendered.id.hasPrefix("P-quote-"))
        #expect(rendered.stateChange?.first?.changeDate.text == Self.receivedAt)
        let seller = rendered.relatedContactInformation.filter { $0.role == "sellerContactInformation" }
        #expect(
            seller == [
                RelatedContactInformation(
                    name: "P desk", emailAddress: "desk@p.example", number: "+1-555-0100",
                    role: "sellerContactInformation")
            ])
        #expect(rendered.productOfferingQualificationItem.count == 3)
    }

    @Test("MEF79-R43 every READY item of the answer states its confidence: green, red, red")
    mutating func confidenceOnEveryItem() throws {
        let (_, _, rendered) = try answer(Make.poq(Self.items, immediate: true, alternates: true))
        #expect(rendered.productOfferingQualificationItem.map(\.state) == [.doneReady, .doneReady, .doneReady])
        #expect(rendered.productOfferingQualificationItem.map(\.serviceabilityConfidence) == [.green, .red, .red])
    }

    @Test(
        "MEF79-R44 a green item carries its installation interval (10 days) and delivery type (ON_NET); red ones none")
    mutating func greenCarriesIntervalAndDeliveryType() throws {
        let (_, response, rendered) = try answer(Make.poq(Self.items, immediate: true, alternates: true))
        #expect(
            rendered.productOfferingQualificationItem.map(\.installationInterval) == [
                Duration(amount: 10, units: .calendarDays), nil, nil,
            ])
        // Sonata v7 has no delivery type: the confidence reason ends with it, the core's answer (and the node's
        // envelope) carries it as a field.
        #expect(
            rendered.productOfferingQualificationItem.first?.serviceabilityConfidenceReason
                == "on-net at LON; delivery type ON_NET")
        #expect(response.items.map { $0.offer?.deliveryType } == [.onNet, nil, nil])
    }

    @Test(
        "MEF79-R46 MEF79-D4 the red item's alternate (100 Mbps of EPL at LON) states its installation interval (10 days), delivery type (ON_NET) and guaranteed-until date (the quote's 30 days)"
    )
    mutating func alternateCarriesIntervalDeliveryTypeAndValidity() throws {
        let (_, response, rendered) = try answer(Make.poq(Self.items, immediate: true, alternates: true))
        let alternate = try #require(response.items[2].offer?.alternates.first)
        #expect(alternate.bandwidthMbps == 100)
        #expect(alternate.installationInterval == .days(10))
        #expect(alternate.deliveryType == .onNet)
        // Received 2026-01-05T09:00:00Z and answered at once: 30 days later.
        #expect(alternate.validUntil == Instant(milliseconds: 1_770_195_600_000))
        // Sonata v7's alternate has neither field: they travel in the alternate product's configuration.
        let proposal = try #require(
            rendered.productOfferingQualificationItem[2].alternateProductOfferingProposal?.first)
        #expect(proposal.installationInterval == Duration(amount: 10, units: .calendarDays))
        #expect(proposal.alternateProduct.productConfiguration["deliveryType"] == "ON_NET")
        #expect(proposal.alternateProduct.productConfiguration["guaranteedUntilDate"] == "2026-02-04T09:00:00Z")
    }

    @Test("MEF79-R100 a READY answer has all its items READY, as Table 29 requires")
    mutating func readyMatrix() throws {
        let (_, response, rendered) = try answer(Make.poq(Self.items, alternates: true))
        #expect(response.state == .ready)
        #expect(response.items.map(\.state) == [.ready, .ready, .ready])
        #expect(rendered.state == .doneReady)
        #expect(rendered.productOfferingQualificationItem.map(\.state) == [.doneReady, .doneReady, .doneReady])
    }

    @Test("MEF79-R98 a READY answer, immediate or deferred, names every request item, each READY")
    mutating func readyAnswersHaveEveryItemReady() throws {
        for immediate in [true, false] {
            let (_, _, rendered) = try answer(Make.poq(Self.items, immediate: immediate, alternates: true))
            #expect(rendered.state == .doneReady)
            #expect(rendered.productOfferingQualificationItem.map(\.id) == ["item-1", "item-2", "item-3"])
            #expect(rendered.productOfferingQualificationItem.map(\.state) == [.doneReady, .doneReady, .doneReady])
        }
    }

    @Test("MEF79-R99 a POQ read while a seller is still asked is IN_PROGRESS, its items IN_PROGRESS")
    mutating func inProgressReadBack() throws {
        // Nothing in its own catalog: the provider asks seller S, which has not answered yet.
        var core = Make.provider("P", sellers: ["S"])
        let payload = Make.poq([("EPL", "LON", 10), ("EPL", "PARIS", nil)])
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        #expect(effects.requests.map(\.to) == ["S", "S"])
        guard case .acknowledgement(let acknowledgement) = effects.sent.first?.message else {
            Issue.record("a deferred POQ is acknowledged first")
            return
        }
        let current = core.view.current(acknowledgement, buyer: "B")
        #expect(current.state == .inProgress)
        #expect(current.items.map(\.state) == [.inProgress, .inProgress])
        let request = try payload.decode(ProductOfferingQualificationCreate.self)
        let rendered = core.view.sonataPOQ(current, request: request, createdAt: Make.t0)
        #expect(rendered.state == .inProgress)
        #expect(rendered.productOfferingQualificationItem.map(\.state) == [.inProgress, .inProgress])
        #expect(rendered.stateChange?.map(\.state) == [.acknowledged, .inProgress])
        #expect(POQValidator.validateResponse(rendered, to: request) == [])
        // As sent, the acknowledgement itself stays ACKNOWLEDGED (R30, R31).
        #expect(acknowledgement.state == .acknowledged)
        #expect(acknowledgement.items.map(\.state) == [.acknowledged, .acknowledged])
    }

    @Test("MEF79-R95 an immediate answer's history is READY alone, dated when the POQ was received")
    mutating func immediateHistory() throws {
        let (_, _, rendered) = try answer(Make.poq(Self.items, immediate: true, alternates: true))
        #expect(rendered.stateChange?.map(\.state) == [.doneReady])
        #expect(rendered.stateChange?.map(\.changeDate.text) == [Self.receivedAt])
    }

    @Test("MEF79-R96 a deferred answer's history walks ACKNOWLEDGED, IN_PROGRESS, READY")
    mutating func deferredHistory() throws {
        let (_, _, rendered) = try answer(Make.poq(Self.items, alternates: true))
        #expect(rendered.stateChange?.map(\.state) == [.acknowledged, .inProgress, .doneReady])
    }

    @Test("MEF79-R96 MEF79-R102 a registered buyer sees the POQ and each item move along Figures 2 and 3")
    mutating func notifiedMovesFollowTheFigures() throws {
        var core = Self.core()
        _ = core.handle(
            .message(from: "B", .hubRegistration(EventSubscriptionInput(callback: "https://b.example"))),
            now: Make.t0, entropy: &entropy)
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: Make.poq(Self.items, alternates: true)))),
            now: Make.t0, entropy: &entropy)
        let (poqStates, itemStates) = effects.notifiedStates
        #expect(poqStates == ["acknowledged", "inProgress", "done.ready"])
        #expect(itemStates.keys.sorted() == ["item-1", "item-2", "item-3"])
        for (item, states) in itemStates {
            #expect(states == ["acknowledged", "inProgress", "done.ready"], "\(item)")
        }
    }

    /// Sends B's CHANGE POQ twenty days after t0 (the product is active by then); the effects, and the Sonata
    /// rendering of each answer sent (the acknowledgement of a deferred POQ first), dated when received.
    static func change(
        _ core: inout ProviderCore, _ payload: JSONValue, requestID: String = "r1", entropy: inout SeededEntropy
    ) throws -> (effects: [Effect], rendered: [ProductOfferingQualification]) {
        let effects = core.handle(
            .message(from: "B", .request(Make.request(requestID, payload: payload, window: .days(21)))),
            now: Make.t0 + .days(20), entropy: &entropy)
        let request = try payload.decode(ProductOfferingQualificationCreate.self)
        let answers = effects.sent.compactMap { sent -> SupplyResponse? in
            switch sent.message {
            case .acknowledgement(let answer), .response(let answer): answer
            default: nil
            }
        }
        let rendered = answers.map {
            core.view.sonataPOQ($0, request: request, createdAt: Make.t0 + .days(20))
        }
        return (effects, rendered)
    }

    @Test("MEF79-R70 each item of the answer to a CHANGE request corresponds to precisely one request item")
    mutating func changeItemsOneToOne() throws {
        let (response, rendered) = try changeAnswer()
        #expect(response.state == .ready)
        #expect(rendered.productOfferingQualificationItem.map(\.action) == [.modify, .modify, .modify])
        #expect(rendered.productOfferingQualificationItem.map(\.id) == ["item-1", "item-2", "item-3"])
        #expect(rendered.productOfferingQualificationItem.map(\.product.id) == ["P-svc-3", "P-svc-3", "P-svc-3"])
    }

    @Test("MEF79-R71 every item of the answer to a CHANGE of a product in the seller's inventory is READY")
    mutating func changeItemsReady() throws {
        let (response, rendered) = try changeAnswer()
        #expect(response.items.map(\.state) == [.ready, .ready, .ready])
        #expect(rendered.productOfferingQualificationItem.map(\.state) == [.doneReady, .doneReady, .doneReady])
    }

    @Test("MEF79-R72 every item of the answer to a CHANGE request states its confidence")
    mutating func changeConfidence() throws {
        let (_, rendered) = try changeAnswer()
        #expect(rendered.productOfferingQualificationItem.map(\.action) == [.modify, .modify, .modify])
        #expect(rendered.productOfferingQualificationItem.map(\.serviceabilityConfidence) == [.green, .red, .red])
    }

    @Test("MEF79-R73 a green item of the answer to a CHANGE request carries its installation interval")
    mutating func changeInterval() throws {
        let (_, rendered) = try changeAnswer()
        #expect(rendered.productOfferingQualificationItem.map(\.action) == [.modify, .modify, .modify])
        #expect(
            rendered.productOfferingQualificationItem.map(\.installationInterval) == [
                Duration(amount: 10, units: .calendarDays), nil, nil,
            ])
    }

    @Test("MEF79-R50 a CHANGE naming a product not in the seller's inventory is REJECTED at /product/id")
    mutating func changeOfUnknownProduct() throws {
        let (response, rendered) = try changeAnswer(productID: "P-svc-99")
        #expect(response.state == .rejected)
        #expect(response.items.map(\.state) == [.rejected, .rejected, .rejected])
        let message = "product 'P-svc-99' is not an active product of this Buyer's in the Seller's inventory"
        #expect(
            response.findings
                == [0, 1, 2].map {
                    ValidationFinding(
                        path: "/productOfferingQualificationItem/\($0)/product/id", rule: "MEF79-R50", message: message)
                })
        #expect(rendered.state == .terminatedWithError)
    }

    @Test("MEF79-R49 a CHANGE to an offering of another product specification is REJECTED at the offering's path")
    mutating func changeToAnotherSpecification() throws {
        var core = try coreWithProduct()
        let payload: JSONValue = [
            "instantSyncQualification": true, "provideAlternative": false,
            "relatedContactInformation": [
                ["name": "Buyer", "emailAddress": "b@x.example", "number": "1", "role": "buyerContactInformation"]
            ],
            "productOfferingQualificationItem": [
                [
                    "id": "item-1", "action": "modify",
                    "product": [
                        "id": "P-svc-3", "productOffering": ["id": "DIA"],
                        "productConfiguration": ["@type": "urn:test", "bandwidthMbps": 50],
                    ],
                ]
            ],
        ]
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0 + .days(20),
            entropy: &entropy)
        let response = try #require(effects.finalResponse)
        #expect(response.state == .rejected)
        #expect(
            response.findings == [
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/product/productOffering/id", rule: "MEF79-R49",
                    message: "offering 'DIA' is not of the product specification of 'P-svc-3' (EPL)")
            ])
    }

    @Test("MEF79-R50 another buyer's product is not this buyer's to change")
    mutating func changeOfSomeoneElsesProduct() throws {
        var core = try coreWithProduct()
        let payload = Self.changePayload(immediate: true, productID: "P-svc-3")
        let effects = core.handle(
            .message(from: "OTHER", .request(Make.request("r1", payload: payload))), now: Make.t0 + .days(20),
            entropy: &entropy)
        let response = try #require(effects.finalResponse)
        #expect(response.state == .rejected)
        #expect(response.findings.map(\.rule) == ["MEF79-R50", "MEF79-R50", "MEF79-R50"])
    }
}
