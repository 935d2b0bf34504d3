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

/// Sonata Trouble Ticket v4 on a live node: a plain buyer's tickets on its service, every body checked against the
/// MEF v4 OpenAPI schema; refusals (unknown service, another buyer's, invalid body) record nothing.
@Suite(.serialized)
struct TicketRouteTests {
    static let ticketSchema = OrderRouteTests.schema("troubleTicketManagement.api")
    static let notificationSchema = OrderRouteTests.schema("troubleTicketNotification.api")

    /// A TroubleTicket_Create on `service`; `drop` removes a required field.
    static func create(service: String, drop: String? = nil) -> Data {
        var body: [String: JSONValue] = [
            "description": "no light on the line", "observedImpact": "down", "priority": "high",
            "severity": "extensive", "ticketType": "maintenance", "externalId": "shop-tt-1",
            "relatedContactInformation": [
                [
                    "name": "Shop NOC", "emailAddress": "noc@shop.example", "number": "+44-20-1111-1111",
                    "role": "reporterContact",
                ]
            ],
            "relatedEntity": [["id": .string(service), "@referredType": "Product", "role": "affectedProduct"]],
        ]
        if let drop { body.removeValue(forKey: drop) }
        return JSONValue.object(body).canonicalData
    }

    /// Quotes, orders and activates one EPL for BUYER; returns its service id.
    static func activeService(
        _ fixture: NodeRouteTests.Fixture, client: some TestClientProtocol
    ) async throws
        -> String
    {
        _ = try await OrderRouteTests.quoteAndDeliver(as: fixture.buyer, client: client)
        return try #require(await fixture.server.node.serviceIDs(of: "BUYER").first)
    }

    /// Everything the node keeps that a refused ticket must not touch: inputs handed to the core, ledger entries.
    static func footprint(_ fixture: NodeRouteTests.Fixture) async throws -> [Int] {
        // Counted once the lanes are still: an entry agreed in the background between two counts is not something
        // the request in between recorded. A fixture's buyer has no ledger of its own, so its lane never empties:
        // what stays queued for it is counted as the backlog (hence a short wait, not the usual long one).
        await waitUntil(within: .seconds(5)) { fixture.server.node.ledgers.isIdle }
        let store = fixture.server.node.ledgers.store
        let entries = try store.ledgerIDs().reduce(0) { $0 + (try store.entries(of: $1).count) }
        return [await fixture.server.node.inputCount, entries, fixture.server.node.ledgers.backlog]
    }

    @Test("PDL-085 a plain TroubleTicket_Create on the buyer's service: 201 with the service id, valid against v4")
    func createdTicket() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let service = try await Self.activeService(fixture, client: client)
            let (status, ticket) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath, body: Self.create(service: service), as: fixture.buyer,
                to: client)
            #expect(status == .created)
            #expect(ticket["relatedEntity"]?.arrayValue?.first?["id"]?.stringValue == service)
            #expect(ticket["externalId"] == "shop-tt-1")
            let violations = Self.ticketSchema.validate(ticket, against: "TroubleTicket")
            #expect(violations.isEmpty, "\(violations)")
            // Nothing is wrong with the service: resolved at once (scenario H), after acknowledgement.
            #expect(ticket["status"] == "resolved")
            #expect(
                ticket["statusChange"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == [
                    "acknowledged", "resolved",
                ])
            let id = try #require(ticket["id"]?.stringValue)

            let (closed, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath + "/\(id)/close", as: fixture.buyer, to: client)
            #expect(closed == .noContent)
            let (read, after) = try await OrderRouteTests.send(
                .get, NodeRoutes.troubleTicketPath + "/\(id)", as: fixture.buyer, to: client)
            #expect(read == .ok)
            #expect(after["status"] == "closed")
            #expect(Self.ticketSchema.validate(after, against: "TroubleTicket").isEmpty)
            let (theirs, _) = try await OrderRouteTests.send(
                .get, NodeRoutes.troubleTicketPath + "/\(id)", as: fixture.other, to: client)
            #expect(theirs == .forbidden)
            let (_, list) = try await OrderRouteTests.send(
                .get, NodeRoutes.troubleTicketPath, as: fixture.buyer, to: client)
            #expect(list.arrayValue?.count == 1)
            #expect(Self.ticketSchema.validate(list, againstArrayOf: "TroubleTicket_Find") == [])
            // The notification a hub gets for this ticket, valid against the v4 notification schema.
            let resource = try #require(await fixture.server.node.ticket(id: id))
            let event = try JSONValue(
                encoding: resource.event(
                    seller: "SELLER", href: "https://seller.example/tt", at: Instant(milliseconds: 1_768_000_000_000)))
            #expect(event["eventType"] == "troubleTicketStatusChangeEvent")
            #expect(event["event"]?["id"]?.stringValue == id)
            #expect(Self.notificationSchema.validate(event, against: "TroubleTicketEvent") == [])
        }
    }

    @Test("a ticket on a service the node does not have gets 404 and records nothing")
    func unknownService() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            _ = try await Self.activeService(fixture, client: client)
            let before = try await Self.footprint(fixture)
            let (status, error) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath, body: Self.create(service: "SELLER-svc-999"), as: fixture.buyer,
                to: client)
            #expect(status == .notFound)
            #expect(error["code"] == "notFound")
            #expect(try await Self.footprint(fixture) == before)
        }
    }

    @Test("a ticket on another buyer's service gets 403 and records nothing")
    func othersService() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let service = try await Self.activeService(fixture, client: client)
            let before = try await Self.footprint(fixture)
            let (status, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath, body: Self.create(service: service), as: fixture.other,
                to: client)
            #expect(status == .forbidden)
            #expect(try await Self.footprint(fixture) == before)
        }
    }

    @Test("a TroubleTicket_Create without its severity gets 422 naming /severity and records nothing")
    func invalidBody() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let service = try await Self.activeService(fixture, client: client)
            let before = try await Self.footprint(fixture)
            let (status, errors) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath, body: Self.create(service: service, drop: "severity"),
                as: fixture.buyer, to: client)
            #expect(status == .unprocessableContent)
            #expect(errors.arrayValue?.first?["propertyPath"] == "/severity")
            #expect(Self.ticketSchema.validate(errors, againstArrayOf: "Error422") == [])
            let (noService, missing) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath, body: Self.create(service: service, drop: "relatedEntity"),
                as: fixture.buyer, to: client)
            #expect(noService == .unprocessableContent)
            #expect(missing.arrayValue?.first?["propertyPath"] == "/relatedEntity")
            #expect(try await Self.footprint(fixture) == before)
        }
    }

    @Test("a resolved ticket cannot be cancelled (422); close and reopen are the buyer's answers to a resolution")
    func stateMachine() async throws {
        let fixture = try OrderRouteTests.steppedFixture()
        try await fixture.server.application().test(.router) { client in
            let service = try await Self.activeService(fixture, client: client)
            let (_, ticket) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath, body: Self.create(service: service), as: fixture.buyer,
                to: client)
            let id = try #require(ticket["id"]?.stringValue)
            let (cancel, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath + "/\(id)/cancel", as: fixture.buyer, to: client)
            #expect(cancel == .unprocessableContent)
            let (reopen, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.troubleTicketPath + "/\(id)/reopen", body: Data(#"{"reason":"still down"}"#.utf8),
                as: fixture.buyer, to: client)
            #expect(reopen == .noContent)
            // Diagnosed again: still nothing wrong, resolved again.
            let (_, after) = try await OrderRouteTests.send(
                .get, NodeRoutes.troubleTicketPath + "/\(id)", as: fixture.buyer, to: client)
            #expect(
                after["statusChange"]?.arrayValue?.compactMap { $0["status"]?.stringValue }
                    == ["acknowledged", "resolved", "reopened", "resolved"])
            #expect(Self.ticketSchema.validate(after, against: "TroubleTicket").isEmpty)
        }
    }
}
