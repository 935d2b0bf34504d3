import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Sonata
import SupplyChain

/// Performance reports between nodes (ETSI PDL §37–46), on the MEF Interlude Performance Monitoring v2 paths: a
/// buyer's on-demand request in the supply envelope to `performanceReport`, the seller's reports (scheduled and
/// asked for) to the buyer's listener. Plain Interlude `performanceJob`/`performanceReport` bodies are not served
/// yet (README, "Not yet").
extension NodeRoutes {
    public static let performanceBase = "/mefApi/interlude/performanceMonitoring/v2"
    public static let performanceReportPath = performanceBase + "/performanceReport"
    public static let performanceListenerBase = "/mefApi/interlude/performanceMonitoringNotification/v2/listener"

    static func addPerformanceRoutes(
        to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier
    ) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .post, RouterPath(performanceReportPath), limit: limit, verifier: verifier, json: true) {
            incoming, _, _ in
            guard let envelope = try? JSONDecoder().decode(SupplyEnvelope.self, from: incoming.body),
                case .performance(.request(let request)) = envelope.message
            else {
                return error(
                    MEFError(
                        code: .invalidBody,
                        reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a report request"))
            }
            guard let service = await node.serviceSnapshot(request.serviceID) else {
                return error(MEFError(code: .notFound, reason: "PDL-085: no service '\(request.serviceID)' here"))
            }
            guard service.buyer == incoming.party else {
                return error(MEFError(code: .accessDenied, reason: "PDL-085: this service is another buyer's"))
            }
            let replyTo: String?
            switch checkedReplyTo(incoming, node: node) {
            case .success(let value): replyTo = value
            case .failure(let refusal): return refusal.response
            }
            await node.requestReport(request, from: incoming.party, replyTo: replyTo)
            return Response(status: .created)
        }
        signedRoute(
            router, .post, RouterPath(performanceListenerBase + "/{eventType}"), limit: limit, verifier: verifier,
            json: true
        ) { incoming, _, _ in
            guard let envelope = try? JSONDecoder().decode(SupplyEnvelope.self, from: incoming.body),
                case .performance(.report) = envelope.message
            else {
                return error(
                    MEFError(
                        code: .invalidBody, reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a report")
                )
            }
            await node.receive(envelope.message, from: incoming.party)
            return Response(status: .noContent)
        }
    }
}

extension ProviderNode {
    /// A buyer's on-demand report request, journaled and handed to the core.
    public func requestReport(_ request: ReportRequest, from buyer: PartyID, replyTo: String?) {
        handle(.message(from: buyer, .performance(.request(request))), trace: nil, replyTo: replyTo)
    }

    /// Carries a report request to a seller, or a report to the buyer's listener.
    func transmitPerformance(_ message: PerformanceMessage, to: PartyID, replaying: Bool) {
        guard !replaying else { return }
        switch message {
        case .request(let request):
            post(
                SupplyEnvelope(message: .performance(message)), to: to, path: NodeRoutes.performanceReportPath,
                until: request.respondBy, what: "report request \(request.reportID)")
        case .report:
            guard let url = replyTo[to] else {
                logger.info("no listener for a buyer's performance reports", metadata: ["buyer": "\(to)"])
                return
            }
            deliver(
                SupplyEnvelope(message: .performance(message)), to: to, base: url,
                path: NodeRoutes.performanceListenerBase + "/performanceReportReadyEvent")
        }
    }
}
