import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Sonata
import SupplyChain

/// Trouble tickets (Sonata Trouble Ticket v4): the seller side (create, read, close, cancel, reopen, hub) and the
/// buyer side (the notification listener). A node buyer's B-BUS sends its tickets, closes and terminations to
/// `troubleTicket` in the supply envelope; a plain Sonata buyer sends a `TroubleTicket_Create`.
extension NodeRoutes {
    public static let troubleTicketBase = "/mefApi/sonata/troubleTicket/v4"
    public static let troubleTicketPath = troubleTicketBase + "/troubleTicket"
    public static let troubleTicketHubPath = troubleTicketBase + "/hub"
    public static let ticketListenerBase = "/mefApi/sonata/troubleTicketNotification/v4/listener"

    static func addTicketRoutes(to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier) {
        let limit = node.configuration.maxBodyBytes
        let href = node.configuration.publicURL + troubleTicketPath
        signedRoute(router, .post, RouterPath(troubleTicketPath), limit: limit, verifier: verifier, json: true) {
            incoming, _, _ in
            let replyTo: String?
            switch checkedReplyTo(incoming, node: node) {
            case .success(let value): replyTo = value
            case .failure(let refusal): return refusal.response
            }
            let notice: TicketNotice
            switch ticketNotice(incoming, now: node.clock.now()) {
            case .success(let value): notice = value
            case .failure(let refusal): return refusal.response
            }
            guard case .opened = notice.event else {
                // A node buyer's close, cancellation, termination or outage agreement, in the envelope.
                await node.receive(.ticket(notice), from: incoming.party)
                return Response(status: .noContent)
            }
            switch await node.openTicket(notice, from: incoming.party, replyTo: replyTo) {
            case .failure(let refusal):
                return refused(refusal)
            case .success(nil):
                return error(MEFError(code: .internalError, reason: "the ticket was not taken"))
            case .success(let resource?):
                return json(.created, resource.sonata(href: href))
            }
        }
        signedRoute(router, .get, RouterPath(troubleTicketPath), limit: limit, verifier: verifier, json: false) {
            incoming, _, _ in
            json(.ok, await node.tickets(of: incoming.party).map { TroubleTicketFind($0.sonata(href: href)) })
        }
        signedRoute(
            router, .get, RouterPath(troubleTicketPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            switch await ownTicket(context.parameters.get("id") ?? "", of: incoming.party, node: node) {
            case .failure(let refusal): return refusal.response
            case .success(let resource): return json(.ok, resource.sonata(href: href))
            }
        }
        let actions: [(String, TicketEvent)] = [
            ("close", .closedByBuyer), ("cancel", .cancelRequested), ("reopen", .reopened(reason: "")),
        ]
        for (action, event) in actions {
            signedRoute(
                router, .post, RouterPath(troubleTicketPath + "/{id}/" + action), limit: limit, verifier: verifier,
                json: false
            ) { incoming, _, context in
                let id = context.parameters.get("id") ?? ""
                let resource: ProviderNode.TicketResource
                switch await ownTicket(id, of: incoming.party, node: node) {
                case .failure(let refusal): return refusal.response
                case .success(let value): resource = value
                }
                guard allowed(action, in: resource.status) else {
                    return unprocessable([
                        ValidationFinding(
                            path: "/status", rule: "SONATA-TT-STATE",
                            message: "a ticket that is \(resource.status.rawValue) cannot be \(action)d")
                    ])
                }
                var event = event
                if case .reopened = event {
                    let reason =
                        (try? JSONValue.parse(incoming.body))?["reason"]?.stringValue ?? "reopened by the buyer"
                    event = .reopened(reason: reason)
                }
                _ = await node.ticketAction(event, id: id, buyer: incoming.party)
                return Response(status: .noContent)
            }
        }
        signedRoute(
            router, .post, RouterPath(ticketListenerBase + "/{eventType}"), limit: limit, verifier: verifier,
            json: true
        ) { incoming, _, _ in
            guard let message = incoming.message,
                case .ticket(let notice) = message, !notice.event.isFromBuyer
            else {
                return error(
                    MEFError(
                        code: .invalidBody,
                        reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a seller's ticket notice"))
            }
            await node.receive(.ticket(notice), from: incoming.party)
            return Response(status: .noContent)
        }
        addHubRoutes(
            to: router, path: troubleTicketHubPath, node: node, verifier: verifier,
            register: { input, buyer in await node.registerTicketHub(input, buyer: buyer) },
            delete: { id, buyer in await node.deleteTicketHub(id: id, buyer: buyer) })
    }

    /// The caller's ticket with this id: 404 when there is none, 403 when it is another buyer's.
    private static func ownTicket(
        _ id: String, of buyer: PartyID, node: ProviderNode
    ) async -> Result<ProviderNode.TicketResource, ResponseError> {
        guard let resource = await node.ticket(id: id) else {
            return .failure(ResponseError(error(MEFError(code: .notFound, reason: "no troubleTicket '\(id)'"))))
        }
        guard resource.buyer == buyer else {
            return .failure(
                ResponseError(error(MEFError(code: .accessDenied, reason: "this troubleTicket is another buyer's"))))
        }
        return .success(resource)
    }

    /// Which buyer actions a ticket's status allows (Sonata Trouble Ticket v4 state machine).
    static func allowed(_ action: String, in status: TroubleTicketStatus) -> Bool {
        switch action {
        case "close", "reopen": status == .resolved
        case "cancel": status == .acknowledged || status == .inProgress || status == .pending || status == .reopened
        default: false
        }
    }

    private static func refused(_ refusal: ProviderNode.TicketRefusal) -> Response {
        switch refusal {
        case .unknownService(let id):
            return error(MEFError(code: .notFound, reason: "PDL-085: no service '\(id)' here"))
        case .othersService(let id):
            return error(MEFError(code: .accessDenied, reason: "PDL-085: service '\(id)' is another buyer's"))
        case .notInOperation(let id):
            return unprocessable([
                ValidationFinding(
                    path: "/relatedEntity/0/id", rule: "PDL-085", message: "service '\(id)' is terminated")
            ])
        }
    }

    /// The ticket notice in a create request: the core's notice in a supply envelope, or a plain Sonata
    /// `TroubleTicket_Create` (the service is its first related entity).
    private static func ticketNotice(_ incoming: Incoming, now: Instant) -> Result<TicketNotice, ResponseError> {
        let type = incoming.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix(NodeHeaders.supplyChainMediaType) {
            guard let message = incoming.message,
                case .ticket(let notice) = message, notice.event.isFromBuyer, !notice.serviceID.isEmpty
            else {
                return .failure(
                    ResponseError(
                        error(MEFError(code: .invalidBody, reason: "the envelope holds no buyer's ticket notice"))))
            }
            return .success(notice)
        }
        let create: TroubleTicketCreate
        do {
            create = try JSONDecoder().decode(TroubleTicketCreate.self, from: incoming.body)
        } catch let error as DecodingError {
            return .failure(ResponseError(unprocessable([ValidationFinding(schemaViolation: error)])))
        } catch {
            return .failure(
                ResponseError(Self.error(MEFError(code: .invalidBody, reason: "not a TroubleTicket_Create"))))
        }
        let findings = create.findings
        guard findings.isEmpty, let serviceID = create.serviceID else {
            return .failure(ResponseError(unprocessable(findings)))
        }
        let report = TicketReport(
            description: create.description,
            observedImpact: TicketReport.Impact(rawValue: create.observedImpact.rawValue) ?? .down,
            priority: create.priority.rawValue, severity: create.severity.rawValue,
            ticketType: create.ticketType.rawValue, externalId: create.externalId,
            reporter: create.relatedContactInformation.first { $0.role == TroubleTicketCreate.reporterRole })
        let ticketID = create.externalId ?? "\(incoming.party.rawValue)-tt-\(now.milliseconds)"
        return .success(
            TicketNotice(
                serviceID: serviceID, ticketID: ticketID, sellerTicketID: "", event: .opened(report: report), at: now))
    }
}
