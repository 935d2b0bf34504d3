import CanonicalJSON
import Provider
import RoleTestSupport
import SBUS
import SCO
import Sonata
import SupplyChain
import Testing

/// A provider answering against its catalog's product specifications: Use Case 2b (a POQ naming the specification,
/// R13–R16) and each offering's place rules (R18–R21), end to end through S-BUS, SCO and SOF.
struct SBUSCatalogRulesTests {
    var entropy = SeededEntropy(seed: 21)

    /// EPL-SPEC: EPL-BASIC (on-net at LON, built at PARIS) and EPL-GOLD (on-net at PARIS). SITE-PORT needs a
    /// GeographicSiteRef place; CLOUD-PORT takes no place.
    static func core() -> ProviderCore {
        Make.provider(
            "P",
            catalog: [
                CatalogEntry(
                    offering: "EPL-BASIC", places: ["LON"], buildPlaces: ["PARIS"], cost: Money(amount: 100),
                    buildCost: Money(amount: 50), leadTime: .days(10), buildTime: .days(20), specification: "EPL-SPEC"),
                CatalogEntry(
                    offering: "EPL-GOLD", places: ["PARIS"], cost: Money(amount: 400), leadTime: .days(5),
                    specification: "EPL-SPEC"),
                CatalogEntry(
                    offering: "SITE-PORT", places: ["*"], cost: Money(amount: 20), leadTime: .days(2),
                    placePolicy: PlacePolicy(.required, allowedTypes: ["GeographicSiteRef"])),
                CatalogEntry(
                    offering: "CLOUD-PORT", places: ["*"], cost: Money(amount: 30), leadTime: .days(1),
                    placePolicy: PlacePolicy(.forbidden)),
            ])
    }

    /// An immediate POQ whose items have these products.
    static func poq(_ products: [JSONValue], alternates: Bool = true) -> JSONValue {
        [
            "instantSyncQualification": true, "provideAlternative": .bool(alternates),
            "relatedContactInformation": [
                ["name": "Buyer", "emailAddress": "b@x.example", "number": "1", "role": "buyerContactInformation"]
            ],
            "productOfferingQualificationItem": .array(
                products.enumerated().map { index, product in
                    ["id": .string("item-\(index + 1)"), "action": "add", "product": product]
                }),
        ]
    }

    static let siteAtParis: JSONValue = [["@type": "GeographicSiteRef", "id": "PARIS", "role": "INSTALL_LOCATION"]]

    static func product(offering: String, place: JSONValue? = nil) -> JSONValue {
        var fields: [String: JSONValue] = [
            "productOffering": ["id": .string(offering)], "productConfiguration": ["@type": "urn:test"],
        ]
        if let place { fields["place"] = place }
        return .object(fields)
    }

    mutating func answer(_ payload: JSONValue) throws -> (SupplyResponse, ProductOfferingQualification) {
        var core = Self.core()
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let response = try #require(effects.finalResponse)
        let request = try payload.decode(ProductOfferingQualificationCreate.self)
        return (response, core.view.sonataPOQ(response, request: request, createdAt: Make.t0))
    }

    @Test("MEF79-R13 MEF79-R16 a POQ naming only a product specification is answered with one offering under it")
    mutating func specificationAnswered() throws {
        let payload = Self.poq([
            [
                "productSpecification": ["id": "EPL-SPEC"], "productConfiguration": ["@type": "urn:test"],
                "place": Self.siteAtParis,
            ]
        ])
        let (response, rendered) = try answer(payload)
        #expect(response.state == .ready)
        let item = try #require(rendered.productOfferingQualificationItem.first)
        #expect(item.product.productSpecification?.id == "EPL-SPEC")
        #expect(item.product.productOffering?.id == "EPL-GOLD")
        #expect(item.serviceabilityConfidence == .green)
        // 400 at cost with the provider's 10 % markup.
        #expect(response.items.first?.offer?.price == Money(amount: 440))
        #expect(
            POQValidator.validateResponse(rendered, to: try payload.decode(ProductOfferingQualificationCreate.self))
                == [])
    }

    @Test("a Use Case 2b quote can be ordered: the offering chosen under the specification is reserved and activated")
    mutating func specificationOrdered() throws {
        var core = Self.core()
        let payload = Self.poq([
            [
                "productSpecification": ["id": "EPL-SPEC"], "productConfiguration": ["@type": "urn:test"],
                "place": Self.siteAtParis,
            ]
        ])
        let serviceID = try SBUSAnswerRulesTests.activate(&core, payload, entropy: &entropy)
        #expect(serviceID == "P-svc-3")
        #expect(core.view.activeServiceIDs(of: "B") == ["P-svc-3"])
    }

    @Test("MEF79-CR1 a POQ by product specification may be deferred: acknowledged, then answered with the offering")
    mutating func specificationDeferred() throws {
        var payload = Self.poq([
            [
                "productSpecification": ["id": "EPL-SPEC"], "productConfiguration": ["@type": "urn:test"],
                "place": Self.siteAtParis,
            ]
        ])
        payload = payload.replacingMember("instantSyncQualification", with: false)
            .replacingMember("requestedPOQCompletionDate", with: "2026-01-05T10:00:00Z")
        var core = Self.core()
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        #expect(effects.sent.map(\.message.name) == ["acknowledgement", "response"])
        let response = try #require(effects.finalResponse)
        #expect(response.state == .ready)
        #expect(response.items.map { $0.offer?.offering } == ["EPL-GOLD"])
    }

    @Test("MEF79-O10 a CHANGE may move a product to another offering of its specification: EPL-BASIC to EPL-GOLD")
    mutating func changeToSiblingOffering() throws {
        var core = Self.core()
        let bought = Self.poq([
            Self.product(
                offering: "EPL-BASIC", place: [["@type": "GeographicSiteRef", "id": "LON", "role": "INSTALL_LOCATION"]])
        ])
        let serviceID = try SBUSAnswerRulesTests.activate(&core, bought, entropy: &entropy)
        let change = Self.poq([
            [
                "id": .string(serviceID), "productOffering": ["id": "EPL-GOLD"],
                "productConfiguration": ["@type": "urn:test"], "place": Self.siteAtParis,
            ]
        ])
        let payload: JSONValue = change.replacingMember(
            "productOfferingQualificationItem",
            with: .array(
                (change["productOfferingQualificationItem"]?.arrayValue ?? []).map {
                    $0.replacingMember("action", with: "modify")
                }))
        let (effects, rendered) = try SBUSAnswerRulesTests.change(&core, payload, entropy: &entropy)
        #expect(effects.finalResponse?.state == .ready)
        #expect(effects.finalResponse?.findings == [])
        #expect(rendered.last?.productOfferingQualificationItem.map(\.serviceabilityConfidence) == [.green])
    }

    @Test("MEF79-R18 MEF79-R19 an item without the place its offering mandates is REJECTED, naming the place's path")
    mutating func requiredPlaceMissing() throws {
        let (response, rendered) = try answer(
            Self.poq([Self.product(offering: "SITE-PORT"), Self.product(offering: "CLOUD-PORT")]))
        #expect(response.state == .rejected)
        #expect(response.items.map(\.state) == [.rejected, .ready])
        #expect(
            response.findings == [
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/product/place", rule: "MEF79-R19",
                    message: "the product specification mandates a place; give its role, type and place")
            ])
        #expect(rendered.state == .terminatedWithError)
        #expect(rendered.productOfferingQualificationItem.map(\.state) == [.terminatedWithError, .doneReady])
        #expect(
            rendered.productOfferingQualificationItem.first?.terminationError?.first?.value
                == "/productOfferingQualificationItem/0/product/place\tMEF79-R19\tthe product specification mandates a place; give its role, type and place"
        )
    }

    @Test(
        "MEF79-R96 MEF79-R102 a deferred POQ refused by business validation moves ACKNOWLEDGED to REJECTED, never IN_PROGRESS"
    )
    mutating func rejectedSkipsInProgress() throws {
        var core = Self.core()
        _ = core.handle(
            .message(from: "B", .hubRegistration(EventSubscriptionInput(callback: "https://b.example"))),
            now: Make.t0, entropy: &entropy)
        let payload = Self.poq([Self.product(offering: "SITE-PORT"), Self.product(offering: "CLOUD-PORT")])
            .replacingMember("instantSyncQualification", with: false)
            .replacingMember("requestedPOQCompletionDate", with: "2026-01-05T10:00:00Z")
        let effects = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let (poqStates, itemStates) = effects.notifiedStates
        #expect(poqStates == ["acknowledged", "terminatedWithError"])
        #expect(itemStates["item-1"] == ["acknowledged", "terminatedWithError"])
        #expect(itemStates["item-2"] == ["acknowledged", "inProgress", "done.ready"])
    }

    @Test("MEF79-R90 a REJECTED item carries only its id and state (and why), no confidence, interval or validity")
    mutating func rejectedItemCarriesOnlyItsState() throws {
        let (_, rendered) = try answer(
            Self.poq([Self.product(offering: "SITE-PORT"), Self.product(offering: "CLOUD-PORT")]))
        let rejected = try #require(rendered.productOfferingQualificationItem.first)
        #expect(rejected.id == "item-1")
        #expect(rejected.state == .terminatedWithError)
        #expect(rejected.serviceabilityConfidence == nil)
        #expect(rejected.serviceabilityConfidenceReason == nil)
        #expect(rejected.installationInterval == nil)
        #expect(rejected.guaranteedUntilDate == nil)
        #expect(rejected.alternateProductOfferingProposal == nil)
        // The other item is READY with its answer (Table 29: a REJECTED POQ may have READY items).
        #expect(rendered.productOfferingQualificationItem.last?.serviceabilityConfidence == .green)
    }

    @Test("MEF79-R20 an item giving a place its offering's specification forbids is REJECTED at that path")
    mutating func forbiddenPlaceGiven() throws {
        let (response, _) = try answer(
            Self.poq([
                Self.product(offering: "SITE-PORT", place: Self.siteAtParis),
                Self.product(offering: "CLOUD-PORT", place: Self.siteAtParis),
            ]))
        #expect(response.state == .rejected)
        #expect(response.items.map(\.state) == [.ready, .rejected])
        #expect(response.findings.map(\.rule) == ["MEF79-R20"])
        #expect(response.findings.map(\.path) == ["/productOfferingQualificationItem/1/product/place"])
    }

    @Test("MEF79-R21 a place of a type the offering does not take, or not given as its type says, is REJECTED")
    mutating func placeTypeBroken() throws {
        let address: JSONValue = [["@type": "FieldedAddress", "city": "Paris", "role": "INSTALL_LOCATION"]]
        let siteWithoutID: JSONValue = [["@type": "GeographicSiteRef", "role": "INSTALL_LOCATION"]]
        let (response, _) = try answer(
            Self.poq([
                Self.product(offering: "SITE-PORT", place: address),
                Self.product(offering: "SITE-PORT", place: siteWithoutID),
            ]))
        #expect(response.state == .rejected)
        #expect(response.items.map(\.state) == [.rejected, .rejected])
        #expect(
            response.findings == [
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/product/place/0/@type", rule: "MEF79-R21",
                    message: "'FieldedAddress' is not a place type this offering accepts (GeographicSiteRef)"),
                ValidationFinding(
                    path: "/productOfferingQualificationItem/1/product/place/0/id", rule: "MEF79-R21",
                    message: "a GeographicSiteRef place is given by its id"),
            ])
    }
}
