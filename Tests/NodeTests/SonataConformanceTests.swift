import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import SBUS
import Sonata
import SupplyChain
import Testing

/// Every MEF Sonata POQ example from the SDK, sent to a live node: answered as the validator judges it, and every
/// body the node returns valid against the MEF POQ v7 OpenAPI schema.
@Suite(.serialized)
struct SonataConformanceTests {
    static let schema: OpenAPISchemaValidator = {
        guard
            let url = Bundle.module.url(
                forResource: "productOfferingQualificationManagement.api", withExtension: "yaml",
                subdirectory: "Fixtures"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let validator = try? OpenAPISchemaValidator(specYAML: text)
        else { fatalError("the POQ v7 OpenAPI file is missing from the test fixtures") }
        return validator
    }()

    /// The POQ examples (file names) shipped with the MEF SDK.
    static let examples: [String] = {
        guard
            let directory = Bundle.module.url(forResource: "poq-examples", withExtension: nil, subdirectory: "Fixtures")
        else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func example(_ name: String) throws -> Data {
        let url = try #require(
            Bundle.module.url(forResource: "poq-examples", withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url.appendingPathComponent(name))
    }

    /// A signed POST (the POQ route by default); with `envelope`, asking for the supply envelope.
    static func post(
        _ body: Data, as key: PartyKey, to client: some TestClientProtocol, path: String = NodeRoutes.poqPath,
        envelope: Bool = false
    ) async throws -> TestResponse {
        var headers = try NodeRouteTests.signed(.post, path, body: body, key: key)
        if envelope { headers[.accept] = NodeHeaders.supplyChainMediaType }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    static func get(
        _ path: String, as key: PartyKey, from client: some TestClientProtocol
    ) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: path, method: .get, headers: NodeRouteTests.signed(.get, path, body: Data(), key: key))
    }

    /// What the schema finds wrong with a response body.
    static func violations(_ body: ByteBuffer, _ schemaName: String, array: Bool = false) throws -> [SchemaViolation] {
        let value = try JSONValue.parse(Data(buffer: body))
        return array ? schema.validate(value, againstArrayOf: schemaName) : schema.validate(value, against: schemaName)
    }

    /// What MEF 79.1 says of each SDK example, as (rule, JSON Pointer) pairs, read from the example and the standard
    /// rather than from the validator the node uses. The four Internet Access examples ask for a deferred answer
    /// (`instantSyncQualification` false) without `requestedPOQCompletionDate`, which R11 requires; every other
    /// example gives the flags, the buyer contact (R9, R22), items with ids, actions, offerings and product
    /// attributes (R17), a CHANGE with the product's id (R48, R50), and relationships to items of the same POQ (R24).
    static let expectedFindings: [String: Set<[String]>] = [
        "ael_UseCase2Request.json": [],
        "ael_UseCase3Request.json": [],
        "ael_UseCase6Request.json": [],
        "ce_Use_Case_2a_POQ_-_new_EPL,_new_UNIs.json": [],
        "ce_Use_Case_2b_POQ_-_new_EVPL,_new_UNIs.json": [],
        "ce_Use_Case_2c_POQ_-_new_EP-LAN,_new_UNIs,_new_End_Points.json": [],
        "ce_Use_Case_2d_POQ_-_new_EVP-LAN,_new_UNIs,_new_End_Points.json": [],
        "ce_Use_Case_2e_POQ_-_new_EP-TREE,_new_UNIs,_new_End_Points.json": [],
        "ce_Use_Case_2f_POQ_-_new_EVP-TREE,_new_UNIs,_new_End_Points.json": [],
        "ce_Use_Case_3a_POQ_-_new_EPL,_new_UNIs.json": [],
        "ce_Use_Case_3b_POQ_-_new_EVPL,_existing_UNI,_new_UNI.json": [],
        "ce_Use_Case_7_POQ_-_EVP-LAN_-_add_UNI_and_End_Point.json": [],
        "ia_Use_Case_2_POQ_-_Basic_Internet_Access.json": [["MEF79-R11", "/requestedPOQCompletionDate"]],
        "ia_Use_Case_3_POQ_-_Advanced_Internet_Access.json": [["MEF79-R11", "/requestedPOQCompletionDate"]],
        "ia_Use_Case_4_POQ_-_Exclusive_Advanced_Internet_Access.json": [["MEF79-R11", "/requestedPOQCompletionDate"]],
        "ia_Use_Case_7_POQ_-_Advanced_Internet_Access_-_bandwidth_change.json": [
            ["MEF79-R11", "/requestedPOQCompletionDate"]
        ],
    ]

    @Test("the SDK holds 16 POQ examples, all shipped to these tests")
    func examplesPresent() {
        #expect(Self.examples.count == 16)
        #expect(Set(Self.examples) == Set(Self.expectedFindings.keys))
    }

    @Test(
        "MEF79-R29 MEF79-R30 MEF79-R33 each MEF POQ example: 201 acknowledged when clean, else 422 naming each rule; every body valid against the POQ v7 schema",
        arguments: examples)
    func example(_ name: String) async throws {
        let fixture = try NodeRouteTests.Fixture()
        let body = try Self.example(name)
        let expected = try #require(Self.expectedFindings[name], "no expectation written for \(name)")
        try await fixture.server.application().test(.router) { client in
            let response = try await Self.post(body, as: fixture.buyer, to: client)
            let answer = try JSONValue.parse(Data(buffer: response.body))
            if expected.isEmpty {
                #expect(response.status == .created, "\(String(buffer: response.body))")
                let violations = try Self.violations(response.body, "ProductOfferingQualification")
                #expect(violations.isEmpty, "\(violations)")
                let id = try #require(answer["id"]?.stringValue)
                let instant = answer["instantSyncQualification"]?.boolValue == true
                #expect(answer["state"]?.stringValue != (instant ? "acknowledged" : nil))
                if !instant {
                    // MEF79-R30, MEF79-R31: a deferred POQ is acknowledged, and so is every item.
                    #expect(answer["state"]?.stringValue == "acknowledged")
                    let states = answer["productOfferingQualificationItem"]?.arrayValue?.map {
                        $0["state"]?.stringValue
                    }
                    #expect(states?.allSatisfy { $0 == "acknowledged" } == true)
                    // MEF79-R33: each item's state (above) and the POQ Create Date, the first history entry's date.
                    let history = answer["stateChange"]?.arrayValue ?? []
                    #expect(history.map { $0["state"]?.stringValue } == ["acknowledged"])
                    #expect(history.first?["changeDate"]?.stringValue.flatMap(MEFDateTime.parse) != nil)
                }
                let one = try await Self.get(NodeRoutes.poqPath + "/" + id, as: fixture.buyer, from: client)
                #expect(one.status == .ok)
                let read = try Self.violations(one.body, "ProductOfferingQualification")
                #expect(read.isEmpty, "\(read)")
                let list = try await Self.get(NodeRoutes.poqPath, as: fixture.buyer, from: client)
                let listed = try Self.violations(list.body, "ProductOfferingQualification_Find", array: true)
                #expect(listed.isEmpty, "\(listed)")
            } else {
                #expect(response.status == .unprocessableContent)
                let violations = try Self.violations(response.body, "Error422", array: true)
                #expect(violations.isEmpty, "\(violations)")
                let errors = answer.arrayValue ?? []
                let found = errors.map { [$0["message"]?.stringValue ?? "", $0["propertyPath"]?.stringValue ?? ""] }
                #expect(found.count == expected.count, "\(found)")
                #expect(Set(found) == expected)
            }
        }
        if !expected.isEmpty { #expect(try fixture.ledgerCount() == 0) }
    }

    @Test(
        "MEF79-R8 a hub registration is answered 201 with an EventSubscription valid against the schema; DELETE 204, then 404"
    )
    func hub() async throws {
        let fixture = try NodeRouteTests.Fixture()
        let body = Data(#"{"callback":"https://buyer.example/listener","query":"eventType=poqStateChangeEvent"}"#.utf8)
        try await fixture.server.application().test(.router) { client in
            let created = try await Self.post(body, as: fixture.buyer, to: client, path: NodeRoutes.hubPath)
            #expect(created.status == .created)
            #expect(try Self.violations(created.body, "EventSubscription") == [])
            let id = try #require(try JSONValue.parse(Data(buffer: created.body))["id"]?.stringValue)
            let path = NodeRoutes.hubPath + "/" + id
            for expected in [HTTPResponse.Status.noContent, .notFound] {
                let deleted = try await client.execute(
                    uri: path, method: .delete,
                    headers: NodeRouteTests.signed(.delete, path, body: Data(), key: fixture.buyer))
                #expect(deleted.status == expected)
            }
        }
    }

    @Test("error bodies are MEF error bodies: 400, 401, 403 and 404 each valid against its schema")
    func errorBodies() async throws {
        let fixture = try NodeRouteTests.Fixture()
        let clean = try Self.example(try #require(Self.examples.first { $0.hasPrefix("ce_Use_Case_2a") }))
        try await fixture.server.application().test(.router) { client in
            let malformed = try await Self.post(Data("{".utf8), as: fixture.buyer, to: client)
            #expect(malformed.status == .badRequest)
            #expect(try Self.violations(malformed.body, "Error400") == [])

            let stranger = try await Self.post(clean, as: PartyKey(party: "STRANGER"), to: client)
            #expect(stranger.status == .unauthorized)
            #expect(try Self.violations(stranger.body, "Error401") == [])

            let created = try await Self.post(clean, as: fixture.buyer, to: client)
            let id = try #require(try JSONValue.parse(Data(buffer: created.body))["id"]?.stringValue)
            let theirs = try await Self.get(NodeRoutes.poqPath + "/" + id, as: fixture.other, from: client)
            #expect(theirs.status == .forbidden)
            #expect(try Self.violations(theirs.body, "Error403") == [])

            let missing = try await Self.get(NodeRoutes.poqPath + "/no-such-poq", as: fixture.buyer, from: client)
            #expect(missing.status == .notFound)
            #expect(try Self.violations(missing.body, "Error404") == [])
        }
    }
}

/// Every MEF Sonata quote example from the SDK, sent to a live node as `POST …/quote`.
struct QuoteConformanceTests {
    static let examples: [String] = {
        guard
            let directory = Bundle.module.url(
                forResource: "quote-examples", withExtension: nil, subdirectory: "Fixtures")
        else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// What each SDK quote example breaks, as (rule, quote JSON Pointer) pairs, read from the examples: all five give
    /// the buyer contact, a requested completion date, and items with ids, actions and offerings (a delete names the
    /// product's id and no configuration), so none breaks a rule.
    static let expectedFindings: [String: Set<[String]>] = [
        "ael_UseCase4Request.json": [],
        "ael_UseCase7Request.json": [],
        "ce_Use_Case_4_Quote_-_new_EPL.json": [],
        "ia_Use_Case_5_Quote_-_Basic_Internet_Access.json": [],
        "ia_Use_Case_8_Quote_-_Basic_Internet_Access_-_delete.json": [],
    ]

    @Test("the SDK holds 5 quote examples, all shipped to these tests")
    func examplesPresent() {
        #expect(Self.examples.count == 5)
        #expect(Set(Self.examples) == Set(Self.expectedFindings.keys))
    }

    @Test(
        "each MEF quote example: 201 with a Quote valid against the v8 schema when it breaks no rule, else 422 naming each rule at its quote path",
        arguments: examples)
    func example(_ name: String) async throws {
        let fixture = try NodeRouteTests.Fixture()
        let directory = try #require(
            Bundle.module.url(forResource: "quote-examples", withExtension: nil, subdirectory: "Fixtures"))
        let body = try Data(contentsOf: directory.appendingPathComponent(name))
        let payload = try JSONValue.parse(body)
        let expected = try #require(Self.expectedFindings[name], "no expectation written for \(name)")
        try await fixture.server.application().test(.router) { client in
            let response = try await SonataConformanceTests.post(
                body, as: fixture.buyer, to: client, path: NodeRoutes.quotePath)
            let answer = try JSONValue.parse(Data(buffer: response.body))
            if expected.isEmpty {
                #expect(response.status == .created, "\(answer)")
                let violations = OrderRouteTests.quoteSchema.validate(answer, against: "Quote")
                #expect(violations.isEmpty, "\(violations)")
                // What the buyer asked is echoed: references, contacts, each item's action and product.
                for key in ["externalId", "projectId", "relatedContactInformation", "instantSyncQuote"] {
                    #expect(answer[key] == payload[key], "\(key)")
                }
                let askedItems = payload["quoteItem"]?.arrayValue ?? []
                let answeredItems = answer["quoteItem"]?.arrayValue ?? []
                #expect(answeredItems.map { $0["id"] } == askedItems.map { $0["id"] })
                #expect(answeredItems.map { $0["action"] } == askedItems.map { $0["action"] })
                #expect(answeredItems.map { $0["product"] } == askedItems.map { $0["product"] })
                let id = try #require(answer["id"]?.stringValue)
                let read = try await SonataConformanceTests.get(
                    NodeRoutes.quotePath + "/" + id, as: fixture.buyer, from: client)
                #expect(read.status == .ok)
                let readViolations = OrderRouteTests.quoteSchema.validate(
                    try JSONValue.parse(Data(buffer: read.body)), against: "Quote")
                #expect(readViolations.isEmpty, "\(readViolations)")
            } else {
                #expect(response.status == .unprocessableContent, "\(answer)")
                #expect(OrderRouteTests.quoteSchema.validate(answer, againstArrayOf: "Error422") == [])
                let errors = answer.arrayValue ?? []
                let found = errors.map { [$0["message"]?.stringValue ?? "", $0["propertyPath"]?.stringValue ?? ""] }
                #expect(found.count == expected.count, "\(found)")
                #expect(Set(found) == expected)
            }
        }
    }
}

/// What a buyer's hub receives: the S-BUS's POQ notifications, as plain Sonata `Event` bodies.
struct POQNotificationTests {
    @Test(
        "MEF79-R5 MEF79-R6 the notifications a registered hub gets are PoqEvent bodies valid against the POQ v7 notification schema; an unregistered buyer gets none"
    )
    func hubEvents() throws {
        let schema = OrderRouteTests.schema("productOfferingQualificationNotification.api")
        var sbus = SBUS(
            party: "SELLER",
            configuration: SBUSConfiguration(
                markupBasisPoints: 1_000,
                sellerContact: RelatedContactInformation(
                    name: "Seller desk", emailAddress: "desk@seller.example", number: "+1",
                    role: "sellerContactInformation")))
        _ = sbus.register(
            EventSubscriptionInput(callback: "https://buyer.example/hub", query: nil), buyer: "BUYER")
        let now = Instant(milliseconds: 1_767_603_600_000)
        var events: [POQEvent] = []
        for type in POQEventType.allCases {
            for effect in sbus.notifications(
                to: "BUYER", deferred: true, eventType: type, sellerReference: "SELLER-poq-1", itemID: "epl-1",
                state: "done.ready", now: now)
            {
                if case .send(_, .notification(let event, _)) = effect { events.append(event) }
            }
        }
        #expect(events.count == POQEventType.allCases.count)
        for event in events {
            let violations = schema.validate(try JSONValue(encoding: event), against: "Event")
            #expect(violations.isEmpty, "\(event.eventType): \(violations)")
        }
        #expect(
            sbus.notifications(
                to: "OTHER", deferred: true, eventType: .poqStateChangeEvent, sellerReference: "SELLER-poq-2",
                state: "done.ready", now: now
            ).isEmpty)
    }
}
