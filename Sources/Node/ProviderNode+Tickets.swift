import Foundation
import Ledger
import Sonata
import SupplyChain

/// Trouble tickets on a live node (Sonata Trouble Ticket v4): the seller side keeps one resource per buyer's
/// ticket, built from the notices the S-BUS sends (so a restart rebuilds it from the journal); the buyer side
/// carries its B-BUS's tickets, closes and terminations to its sellers. Every notice also travels in the supply
/// envelope, so that a node buyer's core hears it.
extension ProviderNode {
    /// One buyer's ticket at this node, as the Sonata resource renders it.
    public struct TicketResource: Sendable {
        /// This node's ticket id (the Sonata `id`).
        public let id: String
        public let buyer: PartyID
        /// The buyer's own ticket id.
        public let buyerTicketID: String
        public let serviceID: String
        public let report: TicketReport
        public let createdAt: Instant
        public var status: TroubleTicketStatus
        public var changes: [TroubleTicketStatusChange]
        public var resolvedAt: Instant?

        /// The Sonata `TroubleTicket`.
        public func sonata(href base: String) -> TroubleTicket {
            let create = TroubleTicketCreate(
                description: report.description,
                observedImpact: ObservedImpact(rawValue: report.observedImpact.rawValue) ?? .down,
                priority: report.priority.flatMap(TroubleTicketPriority.init(rawValue:)) ?? sellerPriority,
                severity: report.severity.flatMap(TroubleTicketSeverity.init(rawValue:)) ?? sellerSeverity,
                ticketType: report.ticketType.flatMap(TroubleTicketType.init(rawValue:)) ?? .maintenance,
                relatedContactInformation: report.reporter.map { [$0] } ?? [],
                relatedEntity: [RelatedEntity(id: serviceID, referredType: "Product", role: "affectedProduct")],
                externalId: report.externalId ?? buyerTicketID)
            return TroubleTicket(
                id: id, href: base + "/" + id, creationDate: MEFDateTime(createdAt.date), status: status,
                sellerPriority: sellerPriority, sellerSeverity: sellerSeverity, create: create,
                resolutionDate: resolvedAt.map { MEFDateTime($0.date) },
                expectedResolutionDate: MEFDateTime((createdAt + targetResolution).date), statusChange: changes)
        }

        /// The time the seller aims to resolve a ticket in, by its priority.
        var targetResolution: TimeSpan {
            switch sellerPriority {
            case .critical: .hours(2)
            case .high: .hours(4)
            case .medium: .hours(24)
            case .low: .days(3)
            }
        }

        /// The Sonata notification of its latest status change: `troubleTicketResolvedEvent` when it was resolved,
        /// `troubleTicketStatusChangeEvent` otherwise.
        public func event(seller: PartyID, href base: String, at: Instant) -> TroubleTicketEvent {
            TroubleTicketEvent(
                eventId: "\(id)-\(changes.count)", eventTime: MEFDateTime(at.date),
                eventType: status == .resolved ? .troubleTicketResolvedEvent : .troubleTicketStatusChangeEvent,
                event: TroubleTicketEventPayload(
                    id: id, href: base + "/" + id, sellerId: seller.rawValue, buyerId: buyer.rawValue))
        }

        /// How urgent the seller finds it: from what the buyer sees.
        var sellerPriority: TroubleTicketPriority {
            switch report.observedImpact {
            case .down: .high
            case .intermittent: .medium
            case .degraded: .medium
            }
        }

        var sellerSeverity: TroubleTicketSeverity {
            switch report.observedImpact {
            case .down: .extensive
            case .intermittent: .significant
            case .degraded: .moderate
            }
        }
    }

    /// Why a buyer's ticket cannot be opened: nothing is handed to the core, nothing recorded.
    public enum TicketRefusal: Error, Sendable, Equatable {
        case unknownService(String)
        case othersService(String)
        case notInOperation(String)
    }

    /// A buyer's new ticket: checked against the inventory first (an unknown service, another buyer's, one that
    /// is over), then handed to the core; returns the resource it became.
    public func openTicket(
        _ notice: TicketNotice, from buyer: PartyID, replyTo: String?
    ) -> Result<TicketResource?, TicketRefusal> {
        if let existing = ticketOfBuyerTicket[Exchange(buyer: buyer, requestID: RequestID(notice.ticketID))] {
            return .success(ticketResources[existing])
        }
        guard let service = core.view.service(notice.serviceID) else {
            return .failure(.unknownService(notice.serviceID))
        }
        guard service.buyer == buyer else { return .failure(.othersService(notice.serviceID)) }
        guard service.state != .terminated else { return .failure(.notInOperation(notice.serviceID)) }
        guard handle(.message(from: buyer, .ticket(notice)), trace: nil, replyTo: replyTo) else {
            return .success(nil)
        }
        return .success(
            ticketOfBuyerTicket[Exchange(buyer: buyer, requestID: RequestID(notice.ticketID))].flatMap {
                ticketResources[$0]
            })
    }

    /// A buyer's word on one of its tickets at this node (close, cancel, reopen), by this node's ticket id.
    public func ticketAction(_ event: TicketEvent, id: String, buyer: PartyID) -> Result<Void, TicketRefusal> {
        guard let resource = ticketResources[id] else { return .failure(.unknownService(id)) }
        guard resource.buyer == buyer else { return .failure(.othersService(id)) }
        let notice = TicketNotice(
            serviceID: resource.serviceID, ticketID: resource.buyerTicketID, sellerTicketID: id, event: event,
            at: clock.now())
        handle(.message(from: buyer, .ticket(notice)), trace: nil)
        return .success(())
    }

    /// The ticket with this id, if any.
    public func ticket(id: String) -> TicketResource? { ticketResources[id] }

    /// The tickets of `buyer`, oldest first.
    public func tickets(of buyer: PartyID) -> [TicketResource] {
        ticketOrder.compactMap { id in ticketResources[id].flatMap { $0.buyer == buyer ? $0 : nil } }
    }

    /// Registers a buyer's listener for its ticket notifications (Sonata Trouble Ticket v4 `POST /hub`).
    public func registerTicketHub(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription {
        ticketHubCount += 1
        let subscription = EventSubscription(
            id: "\(party.rawValue)-ticket-hub-\(ticketHubCount)", callback: input.callback, query: input.query)
        ticketHubs[buyer, default: []].append(subscription)
        return subscription
    }

    /// Removes a buyer's ticket listener; false when the buyer has no such listener.
    public func deleteTicketHub(id: String, buyer: PartyID) -> Bool {
        guard ticketHubs[buyer]?.contains(where: { $0.id == id }) == true else { return false }
        ticketHubs[buyer]?.removeAll { $0.id == id }
        return true
    }

    /// What the node keeps of a buyer's new ticket before the core answers it (live and replayed).
    /// The buyer's own steps (close, cancel, reopen) change the resource's status here too.
    func noteTicket(_ notice: TicketNotice, from buyer: PartyID, at: Instant) {
        let exchange = Exchange(buyer: buyer, requestID: RequestID(notice.ticketID))
        let status: TroubleTicketStatus
        var reason: String?
        switch notice.event {
        case .opened(let report):
            pendingTicketReports[exchange] = (report, at)
            return
        case .closedByBuyer: status = .closed
        case .cancelRequested: status = .assessingCancellation
        case .reopened(let why):
            status = .reopened
            reason = why
        default: return
        }
        guard let id = ticketOfBuyerTicket[exchange], var resource = ticketResources[id],
            NodeRoutes.allowed(
                status == .closed ? "close" : status == .reopened ? "reopen" : "cancel", in: resource.status)
        else { return }
        resource.status = status
        resource.changes.append(
            TroubleTicketStatusChange(changeDate: MEFDateTime(at.date), changeReason: reason, status: status))
        ticketResources[id] = resource
    }

    /// Carries a ticket notice: a buyer's to its seller, a seller's to its buyer (updating the ticket resource,
    /// also when replaying the journal, and notifying the buyer's hubs).
    func transmitTicket(_ notice: TicketNotice, to: PartyID, replaying: Bool) {
        let message = Message.ticket(notice)
        if notice.event.isFromBuyer {
            if replaying { return }
            post(
                SupplyEnvelope(message: message), to: to, path: NodeRoutes.sellerPath(for: message), until: nil,
                what: "ticket \(notice.ticketID) on \(notice.serviceID)")
            return
        }
        let changed = updateTicketResource(notice, buyer: to)
        guard !replaying else { return }
        if let id = changed, let resource = ticketResources[id] {
            let event = resource.event(
                seller: party, href: configuration.publicURL + NodeRoutes.troubleTicketPath, at: notice.at)
            for hub in ticketHubs[to] ?? [] {
                deliver(
                    event, contentType: "application/json", to: to, base: hub.callback,
                    path: "/listener/" + event.eventType.rawValue)
            }
        }
        guard let url = replyTo[to] else { return }
        deliver(
            SupplyEnvelope(message: message), to: to, base: url,
            path: NodeRoutes.ticketListenerBase + "/" + TroubleTicketEventType.troubleTicketStatusChangeEvent.rawValue)
    }

    /// Applies a seller's notice to the buyer's ticket resource; returns its id when its status changed.
    private func updateTicketResource(_ notice: TicketNotice, buyer: PartyID) -> String? {
        let exchange = Exchange(buyer: buyer, requestID: RequestID(notice.ticketID))
        if case .acknowledged = notice.event, ticketOfBuyerTicket[exchange] == nil,
            let (report, at) = pendingTicketReports.removeValue(forKey: exchange)
        {
            let id = notice.sellerTicketID
            ticketResources[id] = TicketResource(
                id: id, buyer: buyer, buyerTicketID: notice.ticketID, serviceID: notice.serviceID, report: report,
                createdAt: at, status: .acknowledged,
                changes: [
                    TroubleTicketStatusChange(
                        changeDate: MEFDateTime(notice.at.date), changeReason: nil, status: .acknowledged)
                ])
            ticketOfBuyerTicket[exchange] = id
            ticketOrder.append(id)
            return id
        }
        guard let id = ticketOfBuyerTicket[exchange], var resource = ticketResources[id] else { return nil }
        let status: TroubleTicketStatus
        var reason: String?
        switch notice.event {
        case .acknowledged: status = .acknowledged
        case .outageScheduled(let from, let duration):
            status = .inProgress
            reason = "repair outage of \(duration) from \(from)"
        case .outageCompleted: status = .inProgress
        case .resolved(let resolution):
            status = .resolved
            reason = resolution
            resource.resolvedAt = notice.at
        case .closedOnTimeout: status = .closed
        case .cancelled: status = .cancelled
        case .serviceTerminated(let why):
            status = resource.status
            reason = why
        default: return nil
        }
        resource.status = status
        resource.changes.append(
            TroubleTicketStatusChange(changeDate: MEFDateTime(notice.at.date), changeReason: reason, status: status))
        ticketResources[id] = resource
        return id
    }
}
