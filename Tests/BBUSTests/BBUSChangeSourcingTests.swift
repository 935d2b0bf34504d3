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

    /// B's CHANGE of its product `P-svc-3` (EPL at LON, now 500 Mbps), which P bought from S2 as `S2-svc-8`.
    func sourcing() throws -> SourcingRequest {
        let payload: JSONValue = [
            "instantSyncQualification": false, "provideAlternative": false,
            "requestedPOQCompletionDate": "2026-01-05T10:00:00Z",
            "relatedContactInformation": [
                ["name": "Buyer", "emailAddress": "b@x.example", "number": "1", "role": "buyerContactInformation"]
            ],
            "productOfferingQualificationItem": [
                [
                    "id": "item-1", "action": "modify",
                    "product": [
                        "id": "P-svc-3", "productOffering": ["id": "EPL"],
                        "productConfiguration": ["@type": "urn:test", "bandwidthMbps": 500],
                        "place": [["@type": "GeographicSiteRef", "id": "LON", "role": "INSTALL_LOCATION"]],
                    ],
                ]
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
                    changing: ChangedProduct(seller: "S2", sellerProductID: "S2-svc-8"))
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
}
