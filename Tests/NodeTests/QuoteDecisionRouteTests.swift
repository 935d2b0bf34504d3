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

/// Sonata Quote v8 `cancelQuote`, `rejectQuote` and the quote hub on a live node, driven as a plain Sonata client on
/// a stepped clock: every request, answer and notification checked against the MEF quote yamls; refusals record
/// nothing.
@Suite(.serialized)
struct QuoteDecisionRouteTests {
    static let notificationSchema = OrderRouteTests.schema("quoteNotification.api")

    /// A deferred Quote_Create for one `offering` at PARIS-1 (the fixture's catalog: EPL anywhere, cost 100, 10%
    /// markup; anything else is asked of its supplier, when it has one).
    static func quoteCreate(offering: String = "EPL") -> Data {
        let body: JSONValue = [
            "instantSyncQuote": false, "buyerRequestedQuoteLevel": "firm", "externalId": "shop-quote-1",
            "projectId": "paris-rollout", "requestedQuoteCompletionDate": "2026-01-05T10:00:00Z",
            "relatedContactInformation": [
                [
                    "name": "Shop procurement", "emailAddress": "buying@shop.example", "number": "+44-20-1111-1111",
                    "role": "buyerContactInformation",
                ]
            ],
            "quoteItem": [
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
        return body.canonicalData
    }

    static func operation(_ quoteID: String, reason: String? = nil) -> Data {
        var body: [String: JSONValue] = ["quoteId": .string(quoteID)]
        if let reason { body["reason"] = .string(reason) }
        return JSONValue.object(body).canonicalData
    }

    /// Asks for the quote (201, acknowledged, valid against v8); returns its id.
    static func askQuote(
        _ fixture: NodeRouteTests.Fixture, offering: String = "EPL", client: some TestClientProtocol
    ) async throws -> String {
        let (status, quote) = try await OrderRouteTests.send(
            .post, NodeRoutes.quotePath, body: quoteCreate(offering: offering), as: fixture.buyer, to: client)
        #expect(status == .created)
        #expect(quote["state"] == "acknowledged")
        let violations = OrderRouteTests.quoteSchema.validate(quote, against: "Quote")
        #expect(violations.isEmpty, "\(violations)")
        return try #require(quote["id"]?.stringValue)
    }

    static func readQuote(
        _ id: String, _ fixture: NodeRouteTests.Fixture, client: some TestClientProtocol
    ) async throws -> JSONValue {
        let (status, quote) = try await OrderRouteTests.send(
            .get, NodeRoutes.quotePath + "/" + id, as: fixture.buyer, to: client)
        #expect(status == .ok)
        let violations = OrderRouteTests.quoteSchema.validate(quote, against: "Quote")
        #expect(violations.isEmpty, "\(violations)")
        return quote
    }

    /// The kinds waiting for BUYER's countersignature (it has no listening node) with the quote they name.
    static func recorded(_ fixture: NodeRouteTests.Fixture) -> [[String]] {
        fixture.server.node.ledgers.queued(for: "BUYER").map { [$0.kind, $0.refs["quote"] ?? ""] }
    }

    @Test(
        "PDL-023 rejectQuote declines an orderable quote: 200, recorded as quote.declined, the quote reads declined, the hub hears each state change, and an order on it is refused (422) recording nothing"
    )
    func declinedQuote() async throws {
        let captured = OrderRouteTests.Captured()
        let listener = Router(context: BasicRequestContext.self)
        listener.post("/shop/listener/{eventType}") { request, context -> Response in
            let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            let type = context.parameters.get("eventType") ?? ""
            captured.append(Data(type.utf8) + Data([0]) + body)
            return Response(status: .noContent)
        }
        let listening = Application(router: listener, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await listening.test(.live) { listenerClient in
            let port = try #require(listenerClient.port)
            let fixture = try OrderRouteTests.steppedFixture(callbacks: ["http://127.0.0.1:\(port)"])
            var service = fixture.server.service  // runs the node's jobs: the deliveries
            service.drainLimit = .zero
            let jobs = Task { try await service.run() }
            defer { jobs.cancel() }
            try await fixture.server.application().test(.router) { client in
                let input = Data(#"{"callback":"http://127.0.0.1:\#(port)/shop"}"#.utf8)
                let (created, hub) = try await OrderRouteTests.send(
                    .post, NodeRoutes.quoteHubPath, body: input, as: fixture.buyer, to: client)
                #expect(created == .created)
                #expect(OrderRouteTests.quoteSchema.validate(hub, against: "EventSubscription") == [])

                let quoteID = try await Self.askQuote(fixture, client: client)
                try await OrderRouteTests.advance(to: "2026-01-05T09:01:00Z", as: fixture.buyer, client: client)
                #expect(try await Self.readQuote(quoteID, fixture, client: client)["state"] == "approved.orderable")

                let (declined, operation) = try await OrderRouteTests.send(
                    .post, NodeRoutes.rejectQuotePath, body: Self.operation(quoteID, reason: "too dear"),
                    as: fixture.buyer, to: client)
                #expect(declined == .ok)
                #expect(operation["quoteId"]?.stringValue == quoteID)
                #expect(OrderRouteTests.quoteSchema.validate(operation, against: "QuoteOperationData") == [])
                let quote = try await Self.readQuote(quoteID, fixture, client: client)
                #expect(quote["state"] == "declined")
                #expect(quote["stateChange"]?.arrayValue?.last?["changeReason"] == "too dear")
                #expect(Self.recorded(fixture).contains(["quote.declined", quoteID]))

                // The answer (the quote and its item) and the decline, each as the notification API's Event.
                await waitUntil { captured.all.count >= 3 }
                let events = try captured.all.map { data -> (String, JSONValue) in
                    let parts = data.split(separator: 0, maxSplits: 1)
                    return (String(decoding: parts[0], as: UTF8.self), try JSONValue.parse(Data(parts[1])))
                }
                #expect(
                    events.map { $0.0 }.sorted() == [
                        "quoteItemStateChangeEvent", "quoteStateChangeEvent", "quoteStateChangeEvent",
                    ])
                for (path, event) in events {
                    #expect(event["eventType"]?.stringValue == path)
                    #expect(event["event"]?["id"]?.stringValue == quoteID)
                    let violations = Self.notificationSchema.validate(event, against: "Event")
                    #expect(violations.isEmpty, "\(violations)")
                }
                #expect(events.contains { $0.1["event"]?["quoteItemId"] == "epl-1" })

                // PDL-023: no order on a declined quote; refused before the core, so nothing is recorded.
                let before = try await TicketRouteTests.footprint(fixture)
                let (ordered, errors) = try await OrderRouteTests.send(
                    .post, NodeRoutes.productOrderPath, body: OrderRouteTests.plainOrder(quote: quoteID, item: "epl-1"),
                    as: fixture.buyer, to: client)
                #expect(ordered == .unprocessableContent)
                #expect(errors.arrayValue?.first?["propertyPath"] == "/productOrderItem/0/quoteItem/quoteId")
                #expect(errors.arrayValue?.first?["message"] == "PDL-023")
                #expect(OrderRouteTests.orderSchema.validate(errors, againstArrayOf: "Error422") == [])
                // Declined is final: neither declined again nor cancelled.
                for path in [NodeRoutes.rejectQuotePath, NodeRoutes.cancelQuotePath] {
                    let (again, refusal) = try await OrderRouteTests.send(
                        .post, path, body: Self.operation(quoteID), as: fixture.buyer, to: client)
                    #expect(again == .unprocessableContent)
                    #expect(refusal.arrayValue?.first?["propertyPath"] == "/quoteId")
                    #expect(OrderRouteTests.quoteSchema.validate(refusal, againstArrayOf: "Error422") == [])
                }
                #expect(try await TicketRouteTests.footprint(fixture) == before)
            }
        }
    }

    @Test(
        "PDL-023 cancelQuote withdraws a quote still in progress: recorded as quote.cancelled, it stays cancelled when the seller's work ends, and an order on it is refused"
    )
    func cancelledQuote() async throws {
        let fixture = try NodeRouteTests.Fixture(
            clock: "{ mode: stepped, start: \"\(OrderRouteTests.start)\", controller: BUYER }", supplier: true)
        try await fixture.server.application().test(.router) { client in
            // SELLER has no DIA of its own: it asks SUPPLIER, who does not answer, so the quote stays in progress.
            let quoteID = try await Self.askQuote(fixture, offering: "DIA", client: client)
            let (early, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.rejectQuotePath, body: Self.operation(quoteID), as: fixture.buyer, to: client)
            #expect(early == .unprocessableContent)
            let (cancelled, operation) = try await OrderRouteTests.send(
                .post, NodeRoutes.cancelQuotePath, body: Self.operation(quoteID, reason: "project stopped"),
                as: fixture.buyer, to: client)
            #expect(cancelled == .ok)
            #expect(OrderRouteTests.quoteSchema.validate(operation, against: "QuoteOperationData") == [])
            #expect(Self.recorded(fixture).contains(["quote.cancelled", quoteID]))

            // The quote's deadline passes: the seller's work ends, the quote stays cancelled and nothing is answered.
            try await OrderRouteTests.advance(to: "2026-01-05T10:01:00Z", as: fixture.buyer, client: client)
            let quote = try await Self.readQuote(quoteID, fixture, client: client)
            #expect(quote["state"] == "cancelled")
            #expect(quote["stateChange"]?.arrayValue?.last?["changeReason"] == "project stopped")
            #expect(!Self.recorded(fixture).contains(["quote.response", quoteID]))

            let before = try await TicketRouteTests.footprint(fixture)
            let (ordered, errors) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath, body: OrderRouteTests.plainOrder(quote: quoteID, item: "epl-1"),
                as: fixture.buyer, to: client)
            #expect(ordered == .unprocessableContent)
            #expect(errors.arrayValue?.first?["message"] == "PDL-023")
            #expect(try await TicketRouteTests.footprint(fixture) == before)
        }
    }

    @Test(
        "cancelQuote and rejectQuote refusals: another buyer's quote 403, an unknown quote, a POQ's answer, a body without quoteId or an expired quote 422 naming the field; none records anything"
    )
    func refusals() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let quoteID = try await Self.askQuote(fixture, client: client)
            let (_, poq) = try await OrderRouteTests.send(
                .post, NodeRoutes.poqPath,
                body: SellerAnswerTests.poq(immediate: false, completion: "2026-01-05T10:00:00Z"),
                as: fixture.buyer, to: client)
            let poqID = try #require(poq["id"]?.stringValue)
            let before = try await TicketRouteTests.footprint(fixture)

            let (theirs, denied) = try await OrderRouteTests.send(
                .post, NodeRoutes.cancelQuotePath, body: Self.operation(quoteID), as: fixture.other, to: client)
            #expect(theirs == .forbidden)
            #expect(OrderRouteTests.quoteSchema.validate(denied, against: "Error403") == [])
            let cases: [(Data, String, String)] = [
                (Self.operation("SELLER-quote-999"), "/quoteId", "referenceNotFound"),
                (Self.operation(poqID), "/quoteId", "referenceNotFound"),
                (Data(#"{"reason":"changed my mind"}"#.utf8), "/quoteId", "missingProperty"),
                (Data(#"{"quoteId":"\#(quoteID)","reason":7}"#.utf8), "/reason", "invalidFormat"),
            ]
            for (body, path, code) in cases {
                for route in [NodeRoutes.cancelQuotePath, NodeRoutes.rejectQuotePath] {
                    let (status, errors) = try await OrderRouteTests.send(
                        .post, route, body: body, as: fixture.buyer, to: client)
                    #expect(status == .unprocessableContent, "\(route) \(path)")
                    #expect(errors.arrayValue?.first?["propertyPath"]?.stringValue == path)
                    #expect(errors.arrayValue?.first?["code"]?.stringValue == code)
                    #expect(OrderRouteTests.quoteSchema.validate(errors, againstArrayOf: "Error422") == [])
                }
            }
            #expect(try await TicketRouteTests.footprint(fixture) == before)
            #expect(try await Self.readQuote(quoteID, fixture, client: client)["state"] == "approved.orderable")
            // Past its validity (30 days) the quote reads expired, and cannot be declined any more.
            try await OrderRouteTests.advance(to: "2026-02-05T09:00:00Z", as: fixture.buyer, client: client)
            #expect(try await Self.readQuote(quoteID, fixture, client: client)["state"] == "expired")
            let expired = try await TicketRouteTests.footprint(fixture)
            let (late, refusal) = try await OrderRouteTests.send(
                .post, NodeRoutes.rejectQuotePath, body: Self.operation(quoteID), as: fixture.buyer, to: client)
            #expect(late == .unprocessableContent)
            #expect(refusal.arrayValue?.first?["reason"]?.stringValue?.contains("expired") == true)
            #expect(try await TicketRouteTests.footprint(fixture) == expired)
        }
    }

    @Test("restart: a declined quote reads declined and its hub is still registered (both journaled)")
    func restartKeepsDecisionAndHub() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        let (quoteID, hubID) = try await fixture.server.application().test(.router) { client -> (String, String) in
            let (_, hub) = try await OrderRouteTests.send(
                .post, NodeRoutes.quoteHubPath, body: Data(#"{"callback":"https://buyer.example/quotes"}"#.utf8),
                as: fixture.buyer, to: client)
            let quoteID = try await Self.askQuote(fixture, client: client)
            try await OrderRouteTests.advance(to: "2026-01-05T09:01:00Z", as: fixture.buyer, client: client)
            let (declined, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.rejectQuotePath, body: Self.operation(quoteID), as: fixture.buyer, to: client)
            #expect(declined == .ok)
            return (quoteID, try #require(hub["id"]?.stringValue))
        }
        let restarted = try NodeRouteTests.Fixture(restarting: fixture)
        #expect(try await restarted.server.node.restore() > 0)
        try await restarted.server.application().test(.router) { client in
            #expect(try await Self.readQuote(quoteID, restarted, client: client)["state"] == "declined")
            let (ordered, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.productOrderPath, body: OrderRouteTests.plainOrder(quote: quoteID, item: "epl-1"),
                as: restarted.buyer, to: client)
            #expect(ordered == .unprocessableContent)
            let (deleted, _) = try await OrderRouteTests.send(
                .delete, NodeRoutes.quoteHubPath + "/" + hubID, as: restarted.buyer, to: client)
            #expect(deleted == .noContent)
        }
    }

    /// `quoteCreate` with its own external id.
    static func quoteCreate(externalId: String) throws -> Data {
        var body = try JSONValue.parse(quoteCreate())
        if case .object(var fields) = body {
            fields["externalId"] = .string(externalId)
            body = .object(fields)
        }
        return body.canonicalData
    }

    @Test(
        "GET …/v8/quote lists the caller's quotes as Quote_Find (not its POQs, not another buyer's), with the listQuote filters; a bad filter 400 naming the parameter; reads record nothing"
    )
    func listQuotes() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            var ids: [String] = []
            for externalId in ["shop-quote-1", "shop-quote-2"] {
                let (status, quote) = try await OrderRouteTests.send(
                    .post, NodeRoutes.quotePath, body: try Self.quoteCreate(externalId: externalId), as: fixture.buyer,
                    to: client)
                #expect(status == .created)
                ids.append(try #require(quote["id"]?.stringValue))
            }
            // A POQ of the same buyer and another buyer's quote: neither is in BUYER's list.
            let (_, poq) = try await OrderRouteTests.send(
                .post, NodeRoutes.poqPath, body: SellerAnswerTests.poq(immediate: true), as: fixture.buyer, to: client)
            #expect(poq["id"] != nil)
            let (_, theirs) = try await OrderRouteTests.send(
                .post, NodeRoutes.quotePath, body: Self.quoteCreate(), as: fixture.other, to: client)
            let theirID = try #require(theirs["id"]?.stringValue)

            try await OrderRouteTests.advance(to: "2026-01-05T09:01:00Z", as: fixture.buyer, client: client)
            let (cancelled, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.rejectQuotePath, body: Self.operation(ids[1], reason: "too dear"), as: fixture.buyer,
                to: client)
            #expect(cancelled == .ok)
            let before = try await TicketRouteTests.footprint(fixture)

            let (status, list) = try await OrderRouteTests.send(
                .get, NodeRoutes.quotePath, as: fixture.buyer, to: client)
            #expect(status == .ok)
            #expect(OrderRouteTests.quoteSchema.validate(list, againstArrayOf: "Quote_Find") == [])
            #expect(list.arrayValue?.compactMap { $0["id"]?.stringValue } == ids)
            #expect(list.arrayValue?.map { $0["state"] } == ["approved.orderable", "declined"])
            #expect(list.arrayValue?.map { $0["externalId"] } == ["shop-quote-1", "shop-quote-2"])
            #expect(list.arrayValue?.first?["quoteLevel"] == "firm")
            #expect(list.arrayValue?.first?["projectId"] == "paris-rollout")
            let (_, otherList) = try await OrderRouteTests.send(
                .get, NodeRoutes.quotePath, as: fixture.other, to: client)
            #expect(otherList.arrayValue?.compactMap { $0["id"]?.stringValue } == [theirID])

            let filters: [(String, [String])] = [
                ("state=approved.orderable", [ids[0]]), ("state=declined", [ids[1]]), ("state=cancelled", []),
                ("externalId=shop-quote-2", [ids[1]]), ("projectId=paris-rollout", ids), ("projectId=other", []),
                ("quoteLevel=firm", ids), ("quoteLevel=budgetary", []),
                ("quoteDate.gt=2026-01-05T08:00:00Z", ids), ("quoteDate.lt=2026-01-05T08:00:00Z", []),
                ("requestedQuoteCompletionDate.lt=2026-01-05T11:00:00Z", ids),
                ("requestedQuoteCompletionDate.gt=2026-01-05T11:00:00Z", []),
                ("effectiveQuoteCompletionDate.gt=2026-01-05T08:00:00Z", ids),
                ("effectiveQuoteCompletionDate.lt=2026-01-05T08:00:00Z", []),
                ("offset=1", [ids[1]]), ("limit=1", [ids[0]]), ("limit=1&offset=1", [ids[1]]), ("buyerId=BUYER", ids),
            ]
            for (query, expected) in filters {
                let (status, found) = try await OrderRouteTests.send(
                    .get, NodeRoutes.quotePath + "?" + query, as: fixture.buyer, to: client)
                #expect(status == .ok, "\(query)")
                #expect(found.arrayValue?.compactMap { $0["id"]?.stringValue } == expected, "\(query)")
                #expect(OrderRouteTests.quoteSchema.validate(found, againstArrayOf: "Quote_Find") == [])
            }
            for (query, parameter) in [
                ("state=bogus", "state"), ("quoteLevel=cheap", "quoteLevel"),
                ("quoteDate.gt=yesterday", "quoteDate.gt"),
                ("limit=0", "limit"), ("offset=-1", "offset"),
            ] {
                let (status, error) = try await OrderRouteTests.send(
                    .get, NodeRoutes.quotePath + "?" + query, as: fixture.buyer, to: client)
                #expect(status == .badRequest, "\(query)")
                #expect(error["code"] == "invalidQuery")
                #expect(error["propertyPath"]?.stringValue == parameter)
                #expect(error["reason"]?.stringValue?.hasPrefix(parameter + ":") == true, "\(error)")
                #expect(OrderRouteTests.quoteSchema.validate(error, against: "Error400") == [])
            }
            #expect(try await TicketRouteTests.footprint(fixture) == before)
        }
    }
}
