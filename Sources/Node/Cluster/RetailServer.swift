import Foundation
import Hummingbird
import Ledger
import Logging
import ServiceLifecycle
import Sonata
import SupplyChain

/// The retail buyers' side of a cluster: one loopback HTTP server holding their ledger copies (so that providers
/// can agree entries with them), their hub listeners (counting notifications per POQ), and the listeners for
/// final POQ answers and order notices, handed to `inbox`.
public final class RetailServer: @unchecked Sendable {
    public let ledgers: [PartyID: NodeLedgers]
    private let lock = NSLock()
    private var notificationCounts: [String: Int] = [:]
    private var inbox: (@Sendable (Message, PartyID) async -> Void)?

    /// Where answers and order notices go from now on (the stepped driver's retail buyers).
    public func deliver(to inbox: @escaping @Sendable (Message, PartyID) async -> Void) {
        lock.withLock { self.inbox = inbox }
    }

    public init(ledgers: [PartyID: NodeLedgers]) {
        self.ledgers = ledgers
    }

    /// Notifications received for the POQ with this seller id.
    public func notifications(for sellerReference: String) -> Int {
        lock.withLock { notificationCounts[sellerReference] ?? 0 }
    }

    /// The HTTP application on `port`.
    public func application(port: Int, verifier: RequestVerifier, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        let ledgers = self.ledgers
        NodeRoutes.addLedgerRoutes(to: router, limit: 1 << 20, verifier: verifier) { id, party in
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
            self.lock.withLock { self.notificationCounts[event.event.id, default: 0] += 1 }
            return Response(status: .noContent)
        }
        for path in [NodeRoutes.listenerBase + "/poqStateChangeEvent", NodeRoutes.orderListenerBase + "/{eventType}"] {
            NodeRoutes.signedRoute(router, .post, RouterPath(path), limit: 1 << 20, verifier: verifier, json: true) {
                incoming, request, _ in
                guard let envelope = try? JSONDecoder().decode(SupplyEnvelope.self, from: incoming.body) else {
                    return Response(status: .badRequest)
                }
                if let inbox = self.lock.withLock({ self.inbox }) { await inbox(envelope.message, incoming.party) }
                return Response(status: .noContent)
            }
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    }
}
