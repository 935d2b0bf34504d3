import BBUS
import CanonicalJSON
import Ledger
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// MEF 79.1 Use Case 2c through the B-BUS: a CHANGE of a product bought from a seller goes to that seller alone,
/// under the id that seller gave the product.
struct BBUSChangeSourcingTests {
    var bbus = BBUS(party: "P", configuration: Make.bbusConfiguration("P", sellers: ["S1", "S2"]))
    var ids = IDSequence(party: "P")
    var entropy = SeededEntropy(seed: 3)

    /// B's CHANGE of its product `P-svc-3` (EPL at LON, now 500 Mbps), which P bought from S2 as `S2-svc-8`; with
    /// `related`, the item also relates to B's products `P-svc-4` (bought from S2 as `S2-svc-11`) and `P-svc-9`
    /// (bought from S1 as `S1-svc-2`).
    func sourcing(action: String = "modify", related: Bool = false) throws -> SourcingRequest {
        var product: [String: JSONValue] = [
            "productOffering": ["id": "EPL"],
            "productConfiguration": ["@type": "urn:test", "bandwidthMbps": 500],
            "place": [["@type": "GeographicSiteRef", "id": "LON", "role": "INSTALL_LOCATION"]],
        ]
        if action == "modify" { product["id"] = "P-svc-3" }
        if related {
            product["productRelationship"] = [
                ["relationshipType": "RELIES_ON", "id": "P-svc-4", "href": "/mefApi/sonata/product/P-svc-4"],
                ["relationshipType": "RELIES_ON", "id": "P-svc-9"],
            ]
        }
        let payload: JSONValue = [
            "instantSyncQualification": false, "provideAlternative": false,
            "requestedPOQCompletionDate": "2026-01-05T10:00:00Z",
            "relatedContactInformation": [
                ["name": "Buyer", "emailAddress": "b@x.example", "number": "1", "role": "buyerContactInformation"]
            ],
            "productOfferingQualificationItem": [
                ["id": "item-1", "action": .string(action), "product": .object(product)]
            ],
        ]
        let poq = try payload.decode(ProductOfferingQualificationCreate.self)
        let request = QualificationRequest(
            key: RequestKey(buyer: "B", requestID: "r1"), kind: .poq, sellerReference: "P-poq-1", poq: poq,
            payload: payload, loopPreventionList: LoopPreventionList(), deadline: Make.t0 + .hours(1))
        let element = ServiceElement(item: try #require(poq.productOfferingQualificationItem.first))
        return SourcingRequest(
            request: request,
            needs: [
                SourcingNeed(
                    element: element, deliverableInternally: false,
                    changing: action == "modify" ? ChangedProduct(seller: "S2", sellerProductID: "S2-svc-8") : nil,
                    relatedProducts: related ? ["P-svc-4": ["S2": "S2-svc-11"], "P-svc-9": ["S1": "S1-svc-2"]] : [:])
            ])
    }

    @Test("MEF79-R50 a CHANGE of a product bought from S2 is asked of S2 only, naming S2's product id")
    mutating func changeAskedOfItsSeller() throws {
        let steps = bbus.handle(.source(try sourcing()), now: Make.t0, ids: &ids, entropy: &entropy)
        let requests = steps.effects.requests
        #expect(requests.map(\.to) == ["S2"])
        let item = try #require(requests.first?.request.payload["productOfferingQualificationItem"]?.arrayValue?.first)
        #expect(item["action"] == "modify")
        #expect(item["product"]?["id"] == "S2-svc-8")
        #expect(item["product"]?["productConfiguration"]?["bandwidthMbps"] == 500)
    }

    @Test(
        "MEF79-R51 a CHANGE's relationship to another existing product stays a productRelationship, under the id S2 gave it; one to a product S2 never sold is left out"
    )
    mutating func changeKeepsItsProductRelationship() throws {
        let steps = bbus.handle(
            .source(try sourcing(related: true)), now: Make.t0, ids: &ids, entropy: &entropy)
        let requests = steps.effects.requests
        #expect(requests.map(\.to) == ["S2"])
        let product = try #require(
            requests.first?.request.payload["productOfferingQualificationItem"]?.arrayValue?.first?["product"])
        #expect(product["id"] == "S2-svc-8")
        #expect(product["productRelationship"] == [["relationshipType": "RELIES_ON", "id": "S2-svc-11"]])
    }

    @Test(
        "MEF79-R23 a new item's relationships to existing products are asked of each seller as productRelationship, under that seller's own ids"
    )
    mutating func newItemKeepsItsProductRelationships() throws {
        let steps = bbus.handle(
            .source(try sourcing(action: "add", related: true)), now: Make.t0, ids: &ids, entropy: &entropy)
        var relationships: [PartyID: JSONValue] = [:]
        for (seller, request) in steps.effects.requests {
            let product = request.payload["productOfferingQualificationItem"]?.arrayValue?.first?["product"]
            relationships[seller] = product?["productRelationship"] ?? .null
        }
        #expect(
            relationships == [
                "S1": [["relationshipType": "RELIES_ON", "id": "S1-svc-2"]],
                "S2": [["relationshipType": "RELIES_ON", "id": "S2-svc-11"]],
            ])
    }
}
