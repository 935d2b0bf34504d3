import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import ScenarioModel
import Sonata
import SupplyChain

/// What a cluster's controller asks of a node besides its clock: a service from the inventory (to walk a retail
/// service down the chain) and a fault its monitoring reports (the scenario's `faults:`). Like the clock routes,
/// only on a stepped-clock node and only for the clock's controller (403 for anyone else).
extension NodeRoutes {
    public static let operatorBase = "/operator/v1"

    static func addOperatorRoutes(
        to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier
    ) {
        guard case .stepped(_, let controller) = node.configuration.clock else { return }
        signedRoute(
            router, .get, RouterPath(operatorBase + "/services/{id}"), limit: 1 << 10, verifier: verifier,
            json: false
        ) { incoming, _, context in
            guard incoming.party == controller else {
                return error(MEFError(code: .accessDenied, reason: "only \(controller) reads the inventory here"))
            }
            let id = context.parameters.get("id") ?? ""
            guard let service = await node.serviceSnapshot(id) else {
                return error(MEFError(code: .notFound, reason: "no service '\(id)'"))
            }
            return json(.ok, service)
        }
        signedRoute(
            router, .get, RouterPath(operatorBase + "/reputation"), limit: 1 << 10, verifier: verifier, json: false
        ) { incoming, _, _ in
            guard incoming.party == controller else {
                return error(MEFError(code: .accessDenied, reason: "only \(controller) reads this"))
            }
            return json(.ok, ["reputation": await node.reputationText()])
        }
        signedRoute(router, .post, RouterPath(operatorBase + "/faults"), limit: 1 << 16, verifier: verifier, json: true)
        { incoming, _, _ in
            guard incoming.party == controller else {
                return error(MEFError(code: .accessDenied, reason: "only \(controller) reports faults here"))
            }
            guard let report = try? JSONDecoder().decode(FaultReport.self, from: incoming.body) else {
                return error(MEFError(code: .invalidBody, reason: "expected a fault report"))
            }
            guard await node.serviceSnapshot(report.serviceID) != nil else {
                return error(MEFError(code: .notFound, reason: "no service '\(report.serviceID)'"))
            }
            await node.reportFault(report)
            return Response(status: .noContent)
        }
    }
}

extension ProviderNode {
    /// A service of the inventory, as the drivers walk it.
    public func serviceSnapshot(_ id: String) -> ServiceSnapshot? {
        core.view.service(id).map(ServiceSnapshot.init)
    }

    /// This provider's SLA reputation as it would publish it (`8.8:30`, PDL-115), or nil before its first report.
    public func reputationText() -> String? {
        core.view.reputation.map { Reputation.text(score: $0.score, count: $0.count) }
    }

    /// The monitoring reports a fault on one of the services (journaled like every input).
    public func reportFault(_ report: FaultReport) {
        handle(.fault(report), trace: nil)
    }
}
