import Foundation
import Hummingbird
import Ledger
import Logging
import ServiceLifecycle
import Sonata
import SupplyChain
import Synchronization

/// The retail buyers' side of a cluster: one loopback HTTP server holding their ledger copies (so that providers
/// can agree entries with them), their hub listeners (counting notifications per POQ), and the listeners for
/// final POQ answers, order notices, ticket notices, performance reports and invoices, handed to `inbox`.
public final class RetailServer: Sendable {
    public let ledgers: [PartyID: NodeLedgers]
    private let notificationCounts = Mutex<[String: Int]>([:])
    private let inbox = Mutex<(@Sendable (Message, PartyID) async -> Void)?>(nil)

    /// Where answers and order notices go from now on (the stepped driver's retail buyers).
    public func deliver(to inbox: @escaping @Sendable (Message, PartyID) async -> Void) {
        self.inbox.withLock { $0 = inbox }
    }

    public init(ledgers: [PartyID: NodeLedgers]) {
        self.ledgers = ledgers
    }

    /// Notifications received for the POQ with this seller id.
    public func notifications(for sellerReference: String) -> Int {
        notificationCounts.withLock { $0[sellerReference] ?? 0 }
    }

    /// The HTTP application on `port`.
    public func application(port: Int, verifier: RequestVerifier, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        let ledgers = self.ledgers
        NodeRoutes.addLedgerRoutes(
            to: router, limit: 1 << 20, verifier: verifier,
            countersign: { checkpoint, party in
                // A provider's checkpoint of its ledger with one of the buyers: that buyer's copy co-signs it.
                guard let id = checkpoint.ledgerID,
                    let buyer = ledgers.values.first(where: { (try? $0.replica(id: id, counterparty: party)) != nil })
                else { throw NodeError(.ledger, "no ledger \(checkpoint.origin) between \(party) and a retail buyer") }
                return try buyer.countersign(checkpoint, from: party)
            },
            review: { neighbour, entry, publisher in
                try neighbour.flatMap { ledgers[PartyID($0)] }?.review(entry, from: publisher)
            }
        ) { id, party in
            guard let id else { return nil }
            for buyer in ledgers.values {
                if let replica = try? buyer.replica(id: LedgerID(rawValue: id), counterparty: party) { return replica }
            }
            return nil
        }
        NodeRoutes.signedRoute(
            router, .post, "/retail/{buyer}/listener/{eventType}", limit: 1 << 20, verifier: verifier, json: true
        ) { incoming, request, _ in
            guard let event = try? JSONDecoder().decode(POQEvent.self, from: incoming.body) else {
                return Response(status: .badRequest)
            }
            self.notificationCounts.withLock { $0[event.event.id, default: 0] += 1 }
            return Response(status: .noContent)
        }
        for path in [
            NodeRoutes.listenerBase + "/poqStateChangeEvent", NodeRoutes.orderListenerBase + "/{eventType}",
            NodeRoutes.ticketListenerBase + "/{eventType}", NodeRoutes.performanceListenerBase + "/{eventType}",
            NodeRoutes.billingListenerBase + "/{eventType}",
        ] {
            NodeRoutes.signedRoute(router, .post, RouterPath(path), limit: 1 << 20, verifier: verifier, json: true) {
                incoming, request, _ in
                guard let message = try? SupplyEnvelope.decodeMessage(from: incoming.body) else {
                    return Response(status: .badRequest)
                }
                if let inbox = self.inbox.withLock({ $0 }) { await inbox(message, incoming.party) }
                return Response(status: .noContent)
            }
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    }
}
