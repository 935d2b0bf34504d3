import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Sonata
import SupplyChain
import Testing

@testable import Node

/// MEF 79.1 §8.3.2.1.2, §8.3.3 and §8.3.4 — what a Seller's answers must and must not carry — checked on a live
/// node's HTTP answers (the fixture sells EPL anywhere at 100 + 10 %, 10 days lead time).
@Suite(.serialized)
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

    /// What a live node answers to an immediate POQ for EPL at PARIS-1: the HTTP status, the envelope's core answer,
    /// the Sonata POQ as JSON and the request as sent.
    struct ImmediateAnswer: Sendable {
        let status: HTTPResponse.Status
        let answer: SupplyResponse?
        let poq: JSONValue
        let sent: JSONValue
        var item: JSONValue? { poq["productOfferingQualificationItem"]?.arrayValue?.first }
    }

    static func immediateAnswer() async throws -> ImmediateAnswer {
        let fixture = try NodeRouteTests.Fixture()
        let request = Self.poq(immediate: true)
        return try await fixture.server.application().test(.router) { client in
            let response = try await SonataConformanceTests.post(request, as: fixture.buyer, to: client, envelope: true)
            let envelope = try JSONDecoder().decode(SupplyEnvelope.self, from: Data(buffer: response.body))
            var answer: SupplyResponse?
            if case .response(let final) = envelope.message { answer = final }
            return ImmediateAnswer(
                status: response.status, answer: answer,
                poq: try JSONValue(encoding: try #require(envelope.productOfferingQualification)),
                sent: try JSONValue.parse(request))
        }
    }

    @Test("an immediate POQ sent again while the first exchange waits for a seller gets the same answer in both")
    func repeatedImmediateRequestWaitsForTheSameAnswer() async throws {
        // SELLER has no DIA of its own and asks SUPPLIER, who never answers: the answer comes at the deadline,
        // once the controller moves protocol time past it.
        let fixture = try NodeRouteTests.Fixture(
            clock: "{ mode: stepped, start: \"\(OrderRouteTests.start)\", controller: BUYER }", supplier: true)
        let body = Self.poq(immediate: true, offering: "DIA", externalId: "again-1")
        let deadline: HTTPFields = [NodeHeaders.respondBy: "2026-01-05T09:01:00Z"]
        try await fixture.server.application().test(.router) { client in
            // Each request is waiting at the node before the next step (a fixed sleep was not enough on a loaded
            // machine: a request arriving after the clock moved would wait for a step that never comes).
            async let first = HostileInputTests.post(client, body, key: fixture.buyer, headers: deadline)
            try await Self.waitUntilWaiting(1, at: fixture.server.node)
            async let second = HostileInputTests.post(client, body, key: fixture.buyer, headers: deadline)
            try await Self.waitUntilWaiting(2, at: fixture.server.node)
            try await OrderRouteTests.advance(to: "2026-01-05T09:02:00Z", as: fixture.buyer, client: client)
            let answers = [try await first, try await second]
            #expect(answers.map(\.status) == [.created, .created])
            let bodies = try answers.map { try JSONValue.parse(Data(buffer: $0.body)) }
            #expect(bodies[0]["id"] != nil)
            #expect(bodies[1]["id"] == bodies[0]["id"])
            #expect(bodies[1]["state"] == bodies[0]["state"])
        }
    }

    /// Waits (at most two minutes: in the whole suite, long simulations can hold both threads of the cooperative
    /// pool for tens of seconds) until `count` requests wait at `node` for their first answer.
    static func waitUntilWaiting(_ count: Int, at node: ProviderNode) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while await node.waiters.values.reduce(0, { $0 + $1.count }) < count {
            try #require(ContinuousClock.now < deadline, "\(count) requests never waited at the node")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("MEF79-R36 an immediate POQ the seller can serve is answered with the response code 201 Created")
    func immediateResponseCode() async throws {
        #expect(try await Self.immediateAnswer().status == .created)
    }

    @Test("MEF79-R37 a successful immediate answer echoes every attribute of the request")
    func immediateEcho() async throws {
        let answer = try await Self.immediateAnswer()
        #expect(answer.poq["instantSyncQualification"] == true)
        #expect(answer.poq["provideAlternative"] == false)
        #expect(answer.poq["externalId"] == "shop-poq-1")
        #expect(answer.poq["projectId"] == "paris-rollout")
        let buyer: JSONValue = [
            "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
            "role": "buyerContactInformation",
        ]
        #expect(answer.poq["relatedContactInformation"]?.arrayValue?.contains(buyer) == true)
        #expect(answer.item?["id"] == "epl-1")
        #expect(answer.item?["action"] == "add")
        #expect(
            answer.item?["product"] == [
                "productOffering": ["id": "EPL"],
                "productConfiguration": ["@type": "urn:scbroker:product:v1", "bandwidthMbps": 100],
                "place": [["@type": "GeographicSiteRef", "id": "PARIS-1", "role": "INSTALL_LOCATION"]],
            ])
    }

    @Test("MEF79-R39 a successful immediate answer is READY (Sonata done.ready)")
    func immediateReadyState() async throws {
        #expect(try await Self.immediateAnswer().poq["state"] == "done.ready")
    }

    @Test("MEF79-R40 every item of a READY immediate answer is READY")
    func immediateItemsReady() async throws {
        let answer = try await Self.immediateAnswer()
        let states = answer.poq["productOfferingQualificationItem"]?.arrayValue?.map { $0["state"] }
        #expect(states == ["done.ready"])
    }

    @Test("MEF79-R43 MEF79-R45 the item of an immediate answer states its confidence (green) and why")
    func immediateConfidence() async throws {
        let answer = try await Self.immediateAnswer()
        #expect(answer.item?["serviceabilityConfidence"] == "green")
        #expect(answer.item?["serviceabilityConfidenceReason"] == "on-net at PARIS-1; delivery type ON_NET")
    }

    @Test("MEF79-R44 a green item carries its installation interval (10 days) and delivery type (ON_NET)")
    func immediateIntervalAndDeliveryType() async throws {
        let answer = try await Self.immediateAnswer()
        #expect(answer.item?["installationInterval"] == ["amount": 10, "units": "calendarDays"])
        // Sonata v7 has no delivery type: a plain v7 buyer reads it at the end of the confidence reason; the node's
        // envelope carries it as a field of the core's answer.
        #expect(
            answer.item?["serviceabilityConfidenceReason"]?.stringValue?.hasSuffix("; delivery type ON_NET") == true)
        #expect(answer.answer?.items.map { $0.offer?.deliveryType } == [.onNet])
        #expect(answer.answer?.items.first?.offer?.price == Money(amount: 110))
    }

    @Test("MEF79-D3 the item carries a guaranteed-until date: the quote's 30 days of validity")
    func immediateGuaranteedUntil() async throws {
        let before = Date()
        let answer = try await Self.immediateAnswer()
        let text = try #require(answer.item?["guaranteedUntilDate"]?.stringValue)
        let until = try #require(MEFDateTime.parse(text))
        #expect(until.timeIntervalSince(before) > 29 * 86_400)
        #expect(until.timeIntervalSince(before) < 31 * 86_400)
    }

    @Test("MEF79-R15 the answer to a Use Case 2a POQ is for the product offering asked for (EPL)")
    func immediateSameOffering() async throws {
        let answer = try await Self.immediateAnswer()
        #expect(answer.item?["product"]?["productOffering"] == ["id": "EPL"])
        #expect(answer.item?["product"]?["productSpecification"] == nil)
    }

    /// A deferred POQ posted to a live node, its acknowledgement, and the POQ read back by id once answered.
    struct DeferredAnswer: Sendable {
        let created: HTTPResponse.Status
        let acknowledged: JSONValue
        let readStatus: HTTPResponse.Status
        let read: JSONValue
    }

    static func deferredAnswer() async throws -> DeferredAnswer {
        let fixture = try NodeRouteTests.Fixture()
        return try await fixture.server.application().test(.router) { client in
            let response = try await SonataConformanceTests.post(
                Self.poq(immediate: false), as: fixture.buyer, to: client)
            let acknowledged = try JSONValue.parse(Data(buffer: response.body))
            let id = try #require(acknowledged["id"]?.stringValue)
            var read: JSONValue = .null
            var status = HTTPResponse.Status.notFound
            for _ in 0..<100 {
                let one = try await SonataConformanceTests.get(
                    NodeRoutes.poqPath + "/" + id, as: fixture.buyer, from: client)
                status = one.status
                read = try JSONValue.parse(Data(buffer: one.body))
                if read["state"]?.stringValue == "done.ready" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            return DeferredAnswer(created: response.status, acknowledged: acknowledged, readStatus: status, read: read)
        }
    }

    @Test("MEF79-R27 a deferred POQ is answered with the response code 201 Created and the acknowledged POQ")
    func deferredResponseCode() async throws {
        let answer = try await Self.deferredAnswer()
        #expect(answer.created == .created)
        #expect(answer.acknowledged["state"] == "acknowledged")
        #expect(answer.acknowledged["id"]?.stringValue?.isEmpty == false)
    }

    @Test("MEF79-R33 the acknowledgement carries each item's state and the POQ create date")
    func deferredCreateDate() async throws {
        let before = Date()
        let answer = try await Self.deferredAnswer()
        let items = answer.acknowledged["productOfferingQualificationItem"]?.arrayValue ?? []
        #expect(items.map { $0["state"] } == ["acknowledged"])
        let history = answer.acknowledged["stateChange"]?.arrayValue ?? []
        #expect(history.map { $0["state"] } == ["acknowledged"])
        let after = Date()
        let created = try #require(history.first?["changeDate"]?.stringValue.flatMap(MEFDateTime.parse))
        // Stamped while the request was handled: between the moments before and after it (to the millisecond).
        #expect(created.timeIntervalSince(before) > -0.001)
        #expect(after.timeIntervalSince(created) > -0.001)
    }

    @Test("MEF79-R84 retrieving a POQ by its id is answered with the response code 200 OK")
    func retrieveResponseCode() async throws {
        #expect(try await Self.deferredAnswer().readStatus == .ok)
    }

    @Test("MEF79-R85 the POQ read back carries its id, its state and its create date")
    func retrieveMandatoryAttributes() async throws {
        let answer = try await Self.deferredAnswer()
        #expect(answer.read["id"] == answer.acknowledged["id"])
        #expect(answer.read["state"] == "done.ready")
        let history = answer.read["stateChange"]?.arrayValue ?? []
        #expect(history.map { $0["state"] } == ["acknowledged", "inProgress", "done.ready"])
        #expect(history.first == answer.acknowledged["stateChange"]?.arrayValue?.first)
    }

    @Test("MEF79-R87 MEF79-R89 each item read back carries its identifier and state")
    func retrieveItemIdentifier() async throws {
        let items = try await Self.deferredAnswer().read["productOfferingQualificationItem"]?.arrayValue ?? []
        #expect(items.map { $0["id"] } == ["epl-1"])
        #expect(items.map { $0["state"] } == ["done.ready"])
    }

    @Test("MEF79-D7 a READY item read back carries its guaranteed-until date: the quote's 30 days")
    func retrieveGuaranteedUntil() async throws {
        let before = Date()
        let item = try #require(
            try await Self.deferredAnswer().read["productOfferingQualificationItem"]?.arrayValue?.first)
        let until = try #require(item["guaranteedUntilDate"]?.stringValue.flatMap(MEFDateTime.parse))
        #expect(until.timeIntervalSince(before) > 29 * 86_400)
        #expect(until.timeIntervalSince(before) < 31 * 86_400)
    }

    @Test(
        "MEF79-R83 a READY item read back carries confidence, its reason, the installation interval and delivery type")
    func retrieveReadyItem() async throws {
        let item = try #require(
            try await Self.deferredAnswer().read["productOfferingQualificationItem"]?.arrayValue?.first)
        #expect(item["serviceabilityConfidence"] == "green")
        #expect(item["serviceabilityConfidenceReason"] == "on-net at PARIS-1; delivery type ON_NET")
        #expect(item["installationInterval"] == ["amount": 10, "units": "calendarDays"])
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
        "MEF79-R4 MEF79-R7 a seller of deferred answers takes a hub registration with a callback, refuses one without")
    func registration() async throws {
        let fixture = try NodeRouteTests.Fixture()
        try await fixture.server.application().test(.router) { client in
            let withoutCallback = try await SonataConformanceTests.post(
                Data(#"{"query":"eventType=poqStateChangeEvent"}"#.utf8), as: fixture.buyer, to: client,
                path: NodeRoutes.hubPath)
            #expect(withoutCallback.status == .badRequest)
            #expect(try JSONValue.parse(Data(buffer: withoutCallback.body))["id"] == nil)
            let registered = try await SonataConformanceTests.post(
                Data(#"{"callback":"https://buyer.example/listener"}"#.utf8), as: fixture.buyer, to: client,
                path: NodeRoutes.hubPath)
            #expect(registered.status == .created)
            let subscription = try JSONValue.parse(Data(buffer: registered.body))
            #expect(subscription["callback"] == "https://buyer.example/listener")
            #expect(subscription["id"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("MEF79-R63 MEF79-R69 a CHANGE the seller cannot accept is answered 422 with MEF errors only, no POQ id")
    func refusedChangeCarriesNoPOQ() async throws {
        let fixture = try NodeRouteTests.Fixture()
        var fields = try JSONValue.parse(Self.poq(immediate: true)).objectValue ?? [:]
        // A CHANGE without the product's id (R50).
        fields["productOfferingQualificationItem"] = [
            [
                "id": "epl-1", "action": "modify",
                "product": [
                    "productOffering": ["id": "EPL"],
                    "productConfiguration": ["@type": "urn:scbroker:product:v1", "bandwidthMbps": 500],
                ],
            ]
        ]
        let body = JSONValue.object(fields).canonicalData
        try await fixture.server.application().test(.router) { client in
            let refused = try await SonataConformanceTests.post(body, as: fixture.buyer, to: client)
            #expect(refused.status == .unprocessableContent)
            let errors = try JSONValue.parse(Data(buffer: refused.body)).arrayValue ?? []
            #expect(errors.map { $0["message"] } == ["MEF79-R50"])
            #expect(errors.map { $0["propertyPath"] } == ["/productOfferingQualificationItem/0/product/id"])
            let poqKeys: Set<String> = ["id", "href", "state", "productOfferingQualificationItem", "stateChange"]
            for error in errors {
                #expect(Set(error.objectValue.map { Array($0.keys) } ?? []).isDisjoint(with: poqKeys))
            }
        }
        #expect(try fixture.ledgerCount() == 0)
    }

    @Test("MEF79-R88 each item of a POQ read back matches precisely one of its items: three asked, three read")
    func retrievedItemsMatchOneEach() async throws {
        let fixture = try NodeRouteTests.Fixture()
        var fields = try JSONValue.parse(Self.poq(immediate: false)).objectValue ?? [:]
        let item = try #require(fields["productOfferingQualificationItem"]?.arrayValue?.first?.objectValue)
        fields["productOfferingQualificationItem"] = .array(
            ["epl-1", "epl-2", "epl-3"].map { id in
                var copy = item
                copy["id"] = .string(id)
                return .object(copy)
            })
        let body = JSONValue.object(fields).canonicalData
        try await fixture.server.application().test(.router) { client in
            let created = try await SonataConformanceTests.post(body, as: fixture.buyer, to: client)
            let id = try #require(try JSONValue.parse(Data(buffer: created.body))["id"]?.stringValue)
            var read: JSONValue = .null
            for _ in 0..<100 {
                let one = try await SonataConformanceTests.get(
                    NodeRoutes.poqPath + "/" + id, as: fixture.buyer, from: client)
                read = try JSONValue.parse(Data(buffer: one.body))
                if read["state"]?.stringValue == "done.ready" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let items = read["productOfferingQualificationItem"]?.arrayValue ?? []
            #expect(items.map { $0["id"] } == ["epl-1", "epl-2", "epl-3"])
        }
    }

    /// The caller's POQ list before and after two deferred POQs (`shop-a`, `shop-b`), another buyer's list, and an
    /// unsigned list request: status and body of each.
    struct Lists: Sendable {
        let empty: (HTTPResponse.Status, JSONValue)
        let two: (HTTPResponse.Status, JSONValue)
        let theirs: JSONValue
        let refused: (HTTPResponse.Status, JSONValue)
    }

    static func lists() async throws -> Lists {
        let fixture = try NodeRouteTests.Fixture()
        return try await fixture.server.application().test(.router) { client in
            let empty = try await SonataConformanceTests.get(NodeRoutes.poqPath, as: fixture.buyer, from: client)
            for external in ["shop-a", "shop-b"] {
                let created = try await SonataConformanceTests.post(
                    Self.poq(immediate: false, externalId: external), as: fixture.buyer, to: client)
                #expect(created.status == .created)
            }
            let list = try await SonataConformanceTests.get(NodeRoutes.poqPath, as: fixture.buyer, from: client)
            let theirs = try await SonataConformanceTests.get(NodeRoutes.poqPath, as: fixture.other, from: client)
            var unsigned = HTTPFields()
            unsigned[.accept] = "application/json"
            let refused = try await client.execute(uri: NodeRoutes.poqPath, method: .get, headers: unsigned)
            return Lists(
                empty: (empty.status, try JSONValue.parse(Data(buffer: empty.body))),
                two: (list.status, try JSONValue.parse(Data(buffer: list.body))),
                theirs: try JSONValue.parse(Data(buffer: theirs.body)),
                refused: (refused.status, try JSONValue.parse(Data(buffer: refused.body))))
        }
    }

    @Test(
        "MEF79-R78 MEF79-R80 the POQ list is answered 200 with zero POQs, then the caller's two, and none of another's")
    func list() async throws {
        let lists = try await Self.lists()
        #expect(lists.empty.0 == .ok)
        #expect(lists.empty.1 == [])
        #expect(lists.two.0 == .ok)
        #expect(lists.two.1.arrayValue?.map { $0["externalId"] } == ["shop-a", "shop-b"])
        #expect(lists.theirs == [])
    }

    @Test("MEF79-R81 each POQ listed carries the attributes of Table 26: its id and state")
    func listRows() async throws {
        let rows = try await Self.lists().two.1.arrayValue ?? []
        #expect(rows.count == 2)
        for row in rows {
            #expect(row["id"]?.stringValue?.isEmpty == false)
            #expect(row["state"] == "acknowledged" || row["state"] == "inProgress" || row["state"] == "done.ready")
        }
    }

    @Test("MEF79-R79 a refused list request is answered with the error alone, no list")
    func listRefused() async throws {
        let refused = try await Self.lists().refused
        #expect(refused.0 == .unauthorized)
        #expect(refused.1.arrayValue == nil)
        #expect(refused.1["code"] == "missingCredentials")
    }
}
