import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import Sonata
import SupplyChain
import Testing

/// MEF 79.1 §8.3.2.1.2, §8.3.3 and §8.3.4 — what a Seller's answers must and must not carry — checked on a live
/// node's HTTP answers (the fixture sells EPL anywhere at 100 + 10 %, 10 days lead time).
struct SellerAnswerTests {
    /// A POQ for `offering` at PARIS-1, immediate or deferred (due at `completion`, else an hour from now).
    static func poq(
        immediate: Bool, offering: String = "EPL", externalId: String = "shop-poq-1", completion: String? = nil
    ) -> Data {
        var body: [String: JSONValue] = [
            "instantSyncQualification": .bool(immediate), "provideAlternative": false,
            "externalId": .string(externalId),
            "projectId": "paris-rollout",
            "relatedContactInformation": [
                [
                    "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
                    "role": "buyerContactInformation",
                ]
            ],
            "productOfferingQualificationItem": [
                [
                    "id": "epl-1", "action": "add",
                    "product": [
                        "productOffering": ["id": .string(offering)],
                        "productConfiguration": ["@type": "urn:scbroker:product:v1", "bandwidthMbps": 100],
                        "place": [["@type": "GeographicSiteRef", "id": "PARIS-1", "role": "INSTALL_LOCATION"]],
                    ],
                ]
            ],
        ]
        if !immediate {
            body["requestedPOQCompletionDate"] = .string(completion ?? Instant(Date() + 3_600).description)
        }
        return JSONValue.object(body).canonicalData
    }

    @Test(
        "MEF79-R36 MEF79-R37 MEF79-R39 MEF79-R40 MEF79-R42 MEF79-R43 MEF79-R44 MEF79-R45 MEF79-R46 MEF79-D3 MEF79-R15 an immediate POQ the seller can serve: 201, READY, the request echoed, each item READY with confidence, interval, guaranteed-until and (in the envelope) delivery type"
    )
    func immediateReady() async throws {
        let fixture = try NodeRouteTests.Fixture()
        let request = Self.poq(immediate: true)
        let sent = try JSONValue.parse(request)
        try await fixture.server.application().test(.router) { client in
            let response = try await SonataConformanceTests.post(request, as: fixture.buyer, to: client, envelope: true)
            #expect(response.status == .created)  // R36: the response code is the HTTP status
            let envelope = try JSONDecoder().decode(SupplyEnvelope.self, from: Data(buffer: response.body))
            let poq = try JSONValue(encoding: try #require(envelope.productOfferingQualification))
            #expect(poq["state"]?.stringValue == "done.ready")  // R39
            // R37: every attribute of the request echoed back.
            for key in ["instantSyncQualification", "provideAlternative", "externalId", "projectId"] {
                #expect(poq[key] == sent[key], "\(key)")
            }
            let contacts = poq["relatedContactInformation"]?.arrayValue ?? []
            #expect(contacts.contains(try #require(sent["relatedContactInformation"]?.arrayValue?.first)))
            let items = poq["productOfferingQualificationItem"]?.arrayValue ?? []
            #expect(items.count == 1)  // R42: one answer item per request item
            let item = try #require(items.first)
            let asked = try #require(sent["productOfferingQualificationItem"]?.arrayValue?.first)
            #expect(item["id"] == asked["id"])
            #expect(item["product"] == asked["product"])  // R15: the offering asked for, as asked
            #expect(item["state"]?.stringValue == "done.ready")  // R40
            #expect(item["serviceabilityConfidence"]?.stringValue == "green")  // R43, R45
            #expect(item["serviceabilityConfidenceReason"]?.stringValue?.isEmpty == false)
            #expect(item["installationInterval"] == ["amount": 10, "units": "calendarDays"])  // R44, R46
            #expect(item["guaranteedUntilDate"]?.stringValue != nil)  // D3
            // R44, R46: Sonata v7 has no delivery type; the node gives it beside the POQ, in the core's answer.
            guard case .response(let answer) = envelope.message else {
                Issue.record("no final answer in the envelope")
                return
            }
            #expect(answer.items.first?.offer?.deliveryType == .onNet)
            #expect(answer.items.first?.offer?.price == Money(amount: 110))
        }
    }

    @Test(
        "MEF79-R27 MEF79-R33 MEF79-R85 MEF79-R84 MEF79-R87 MEF79-R83 a deferred POQ is acknowledged with its create date; read back by id once answered: id, state, create date, items with confidence and interval"
    )
    func deferredThenRetrieved() async throws {
        let fixture = try NodeRouteTests.Fixture()
        try await fixture.server.application().test(.router) { client in
            let response = try await SonataConformanceTests.post(
                Self.poq(immediate: false), as: fixture.buyer, to: client)
            #expect(response.status == .created)  // R27
            let acknowledged = try JSONValue.parse(Data(buffer: response.body))
            let id = try #require(acknowledged["id"]?.stringValue)
            let history = acknowledged["stateChange"]?.arrayValue ?? []
            #expect(history.first?["state"]?.stringValue == "acknowledged")
            #expect(history.first?["changeDate"]?.stringValue != nil)  // R33: the POQ Create Date
            var read: JSONValue = .null
            for _ in 0..<100 {
                let one = try await SonataConformanceTests.get(
                    NodeRoutes.poqPath + "/" + id, as: fixture.buyer, from: client)
                #expect(one.status == .ok)  // R84
                read = try JSONValue.parse(Data(buffer: one.body))
                if read["state"]?.stringValue == "done.ready" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            // R85: identifier, state, create date, items.
            #expect(read["id"]?.stringValue == id)
            #expect(read["state"]?.stringValue == "done.ready")
            #expect(
                read["stateChange"]?.arrayValue?.map { $0["state"]?.stringValue } == ["acknowledged", "done.ready"])
            #expect(read["stateChange"]?.arrayValue?.first == history.first)
            let item = try #require(read["productOfferingQualificationItem"]?.arrayValue?.first)
            #expect(item["id"]?.stringValue == "epl-1")  // R87
            #expect(item["serviceabilityConfidence"]?.stringValue == "green")  // R83
            #expect(item["serviceabilityConfidenceReason"]?.stringValue?.isEmpty == false)
            #expect(item["installationInterval"]?["amount"]?.numberValue == 10)
        }
    }

    @Test(
        "MEF79-R35 MEF79-R41 MEF79-R86 an answer that does not succeed carries no POQ id and no POQ attributes: a 422 or 404 body is MEF errors only"
    )
    func failuresCarryNoPOQ() async throws {
        let fixture = try NodeRouteTests.Fixture()
        var fields = try JSONValue.parse(Self.poq(immediate: false)).objectValue ?? [:]
        fields["requestedPOQCompletionDate"] = nil
        let broken = JSONValue.object(fields)
        try await fixture.server.application().test(.router) { client in
            let refused = try await SonataConformanceTests.post(broken.canonicalData, as: fixture.buyer, to: client)
            #expect(refused.status == .unprocessableContent)
            let errors = try JSONValue.parse(Data(buffer: refused.body)).arrayValue ?? []
            #expect(!errors.isEmpty)
            let poqKeys: Set<String> = ["id", "href", "state", "productOfferingQualificationItem", "stateChange"]
            for error in errors {
                #expect(Set(error.objectValue.map { Array($0.keys) } ?? []).isDisjoint(with: poqKeys))
            }
            let missing = try await SonataConformanceTests.get(
                NodeRoutes.poqPath + "/SELLER-poq-404", as: fixture.buyer, from: client)
            #expect(missing.status == .notFound)
            let body = try JSONValue.parse(Data(buffer: missing.body))
            #expect(Set(body.objectValue.map { Array($0.keys) } ?? []).isDisjoint(with: poqKeys))
        }
        #expect(try fixture.ledgerCount() == 0)
    }

    @Test(
        "MEF79-R78 MEF79-R80 MEF79-R81 MEF79-R79 the POQ list: 200 with zero or more rows, each with id and state, only the caller's; a refused list request gets an error body only"
    )
    func list() async throws {
        let fixture = try NodeRouteTests.Fixture()
        try await fixture.server.application().test(.router) { client in
            let empty = try await SonataConformanceTests.get(NodeRoutes.poqPath, as: fixture.buyer, from: client)
            #expect(empty.status == .ok)
            #expect(try JSONValue.parse(Data(buffer: empty.body)) == [])  // R80: zero POQs
            for external in ["shop-a", "shop-b"] {
                let created = try await SonataConformanceTests.post(
                    Self.poq(immediate: false, externalId: external), as: fixture.buyer, to: client)
                #expect(created.status == .created)
            }
            let list = try await SonataConformanceTests.get(NodeRoutes.poqPath, as: fixture.buyer, from: client)
            #expect(list.status == .ok)  // R78
            let rows = try JSONValue.parse(Data(buffer: list.body)).arrayValue ?? []
            #expect(rows.map { $0["externalId"]?.stringValue } == ["shop-a", "shop-b"])
            for row in rows {  // R81: Table 26
                #expect(row["id"]?.stringValue != nil)
                #expect(row["state"]?.stringValue != nil)
            }
            let theirs = try await SonataConformanceTests.get(NodeRoutes.poqPath, as: fixture.other, from: client)
            #expect(try JSONValue.parse(Data(buffer: theirs.body)) == [])
            var unsigned = HTTPFields()
            unsigned[.accept] = "application/json"
            let refused = try await client.execute(uri: NodeRoutes.poqPath, method: .get, headers: unsigned)
            #expect(refused.status == .unauthorized)
            let body = try JSONValue.parse(Data(buffer: refused.body))
            #expect(body.arrayValue == nil)  // R79: no list, only the error
            #expect(body["code"]?.stringValue == "missingCredentials")
        }
    }
}
