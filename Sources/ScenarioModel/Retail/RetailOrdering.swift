import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// What the retail buyer does next with an order.
public enum RetailStep: Sendable, Hashable {
    case placeOrder
    case change(Int)
    case renew
    /// Disconnect the service (a Sonata `delete`), at once or at the scenario's date.
    case disconnect
    /// Cancel that disconnection before its date (Sonata `cancelProductOrder`).
    case withdrawDisconnection
    /// Open the scenario's trouble ticket of this index.
    case openTicket(Int)
    /// Ask for the scenario's on-demand report of this index.
    case requestReport(Int)
}

/// What a retail buyer saw of its order and of the service behind it.
public struct RetailOrderView: Sendable {
    public var orderID: RequestID?
    public var state: String?
    public var reason: String?
    public var serviceID: String?
    public var activatedAt: Instant?
    public var changeQuotes: [(price: Money, outage: TimeSpan)] = []
    /// The outages the seller scheduled for changes (PDL-118): from, duration.
    public var changeOutages: [(from: Instant, duration: TimeSpan)] = []
    public var changesCompleted = 0
    public var extensionRequests = 0
    public var renewals = 0
    /// The service's product terms as the seller reported them: the ordered one, then each renewal.
    public var terms: [ProductTerm] = []
    /// The term the order asked for, the service's first once it is activated.
    var orderedTerm: ProductTerm?
    /// The retail buyer's trouble tickets on the service, in the order it opened them.
    public var tickets: [RetailTicketView] = []
    /// Faults the seller told of and repair outages it scheduled (from, duration).
    public var faultNotices: [String] = []
    public var faultOutages: [(from: Instant, duration: TimeSpan)] = []
    /// The performance reports received on the service, in order.
    public var reports: [PerformanceReport] = []
    /// When the seller said the service was disconnected (at a term's end, or at the buyer's request).
    public var disconnectedAt: Instant?
    /// How many of the buyer's disconnections the seller withdrew at its request.
    public var disconnectionsWithdrawn = 0
}

/// One trouble ticket as its retail buyer saw it.
public struct RetailTicketView: Sendable {
    public let ticketID: String
    public var state: String
    public var resolution: String?
    /// Each step with its time: `opened 2026-…`, `acknowledged …`.
    public var history: [String]
}

/// The retail buyer's side of ordering, as a pure state machine shared by both drivers (the simulator and
/// `broker cluster`): it orders what was quoted, answers extension requests, and changes and renews the service on
/// the scenario's schedule. It decides; the driver records each `send` on the buyer's ledger, sends it, and runs
/// each `schedule` at its time.
public struct RetailOrdering: Sendable {
    /// What the driver must do.
    public enum Action: Sendable {
        /// Run `step` for `demand` at `at`.
        case schedule(RetailStep, demand: String, at: Instant)
        /// Record `record` on the buyer's ledger with `seller`, then send `message` to `seller`.
        case send(Message, buyer: PartyID, seller: PartyID, record: LedgerRecord)
    }

    public let plan: SimulationPlan
    public internal(set) var views: [String: RetailOrderView] = [:]
    private var demandOfOrder: [RequestID: String] = [:]
    /// The demand each retail service id belongs to.
    var demandOfService: [String: String] = [:]
    /// The plan of each ticket the buyers opened, by ticket id.
    var ticketDemands: [String: SimulationPlan.TicketPlan] = [:]

    public init(plan: SimulationPlan) {
        self.plan = plan
    }

    private func demand(_ id: String) -> SimulationPlan.Demand? { plan.demand(id: id) }

    /// The demand a retail order id belongs to.
    public func demand(ofOrder id: RequestID) -> String? { demandOfOrder[id] }

    /// A demand's final answer arrived: a ready quote with an order plan gets its order placed `after` later.
    public mutating func answerArrived(_ response: SupplyResponse, demand id: String, now: Instant) -> [Action] {
        guard let demand = demand(id), let order = demand.order, views[id]?.orderID == nil, response.state == .ready
        else { return [] }
        return [.schedule(.placeOrder, demand: id, at: now + order.after)]
    }

    /// Runs one scheduled step; `quote` is the demand's final answer.
    public mutating func step(_ step: RetailStep, demand id: String, quote: SupplyResponse, now: Instant) -> [Action] {
        guard let demand = demand(id), let plan = demand.order else { return [] }
        switch step {
        case .placeOrder:
            var items = demand.payload["productOfferingQualificationItem"]?.arrayValue ?? []
            if let altered = plan.alterItem, let index = items.firstIndex(where: { $0["id"]?.stringValue == altered }) {
                items[index] = items[index].replacingPath(
                    ["product", "productConfiguration", "bandwidthMbps"], with: 10_000)
            }
            let term = plan.term.map { ProductTerm(start: now, end: now + $0, endOfTermAction: plan.endOfTermAction) }
            let order = OrderRequest(
                id: RequestID("\(demand.buyer.rawValue)-\(demand.id)-order"),
                action: .provide(quoteReference: quote.sellerReference, items: items),
                acceptBy: now + plan.acceptanceWindow, activateBy: now + plan.activationWindow, term: term,
                reporting: plan.reports.map { ReportingTerms(anchor: now, every: $0.every, within: $0.within) })
            views[id, default: RetailOrderView()].orderID = order.id
            views[id]?.orderedTerm = term
            return [send(order, demand: demand)]
        case .change(let index):
            guard let serviceID = views[id]?.serviceID, index < plan.changes.count else { return [] }
            let order = OrderRequest(
                id: RequestID("\(demand.buyer.rawValue)-\(demand.id)-change-\(index + 1)"),
                action: .change(serviceID: serviceID, plan.changes[index].change),
                acceptBy: now + plan.acceptanceWindow,
                activateBy: now + plan.activationWindow, term: nil)
            return [send(order, demand: demand)]
        case .renew:
            guard let serviceID = views[id]?.serviceID, let renewal = plan.renew else { return [] }
            let term = ProductTerm(start: now, end: now + renewal.term, endOfTermAction: renewal.action)
            let order = OrderRequest(
                id: RequestID("\(demand.buyer.rawValue)-\(demand.id)-renewal"),
                action: .renew(serviceID: serviceID, term),
                acceptBy: now + plan.acceptanceWindow, activateBy: now + plan.activationWindow, term: term)
            return [send(order, demand: demand)]
        case .disconnect:
            guard let serviceID = views[id]?.serviceID else { return [] }
            let at = now + plan.disconnectEffective
            let order = OrderRequest(
                id: RequestID("\(demand.buyer.rawValue)-\(demand.id)-disconnect"),
                action: .disconnect(serviceID: serviceID, at: at), acceptBy: now + plan.acceptanceWindow,
                activateBy: at, term: nil)
            let withdrawal = plan.withdrawDisconnectionAfter.map {
                Action.schedule(.withdrawDisconnection, demand: id, at: now + $0)
            }
            return [send(order, demand: demand)] + (withdrawal.map { [$0] } ?? [])
        case .withdrawDisconnection:
            let orderID = RequestID("\(demand.buyer.rawValue)-\(demand.id)-disconnect")
            let notice = OrderNotice(
                orderID: orderID, sellerOrderReference: "", event: .cancelled("withdrawn by the buyer"), at: now)
            return [
                .send(
                    .orderNotice(notice), buyer: demand.buyer, seller: demand.seller,
                    record: LedgerRecord(
                        counterparty: demand.seller, kind: notice.event.ledgerKind, refs: ["order": orderID.rawValue],
                        body: notice.ledgerBody))
            ]
        case .openTicket(let index):
            return openTicket(index, demand: id, now: now)
        case .requestReport(let index):
            return requestReport(index, demand: id, now: now)
        }
    }

    private mutating func send(_ order: OrderRequest, demand: SimulationPlan.Demand) -> Action {
        demandOfOrder[order.id] = demand.id
        let kind: String
        switch order.action {
        case .provide: kind = "order.request"
        case .change: kind = "change.request"
        case .renew: kind = "order.renewal_request"
        case .disconnect: kind = "order.disconnect_request"
        }
        return .send(
            .order(order), buyer: demand.buyer, seller: demand.seller,
            record: LedgerRecord(
                counterparty: demand.seller, kind: kind, refs: ["order": order.id.rawValue], body: order.ledgerBody))
    }

    /// A seller's notice about one of the retail buyer's orders.
    public mutating func notice(_ notice: OrderNotice, from seller: PartyID, now: Instant) -> [Action] {
        guard let id = demandOfOrder[notice.orderID], let demand = demand(id), let orderPlan = demand.order
        else { return [] }
        let isMainOrder = views[id]?.orderID == notice.orderID
        var actions: [Action] = []
        var view = views[id] ?? RetailOrderView()
        switch notice.event {
        case .accepted where isMainOrder:
            view.state = "ACCEPTED"
        case .rejected(let reason) where isMainOrder:
            view.state = "REJECTED"
            view.reason = reason
        case .activated(let serviceID) where isMainOrder:
            view.state = "ACTIVATED"
            view.serviceID = serviceID
            demandOfService[serviceID] = id
            view.activatedAt = now
            view.terms = view.orderedTerm.map { [$0] } ?? []
            for (index, change) in orderPlan.changes.enumerated() {
                actions.append(.schedule(.change(index), demand: id, at: now + change.after))
            }
            if let renewal = orderPlan.renew { actions.append(.schedule(.renew, demand: id, at: now + renewal.after)) }
            if let after = orderPlan.disconnectAfter {
                actions.append(.schedule(.disconnect, demand: id, at: now + after))
            }
        case .failed(let reason) where isMainOrder:
            view.state = "FAILED"
            view.reason = reason
        case .extensionRequested(let until) where isMainOrder:
            view.extensionRequests += 1
            let answer: OrderEvent = orderPlan.grantExtension ? .windowChanged(until: until) : .extensionRefused
            let reply = OrderNotice(
                orderID: notice.orderID, sellerOrderReference: notice.sellerOrderReference, event: answer, at: now)
            actions.append(
                .send(
                    .orderNotice(reply), buyer: demand.buyer, seller: seller,
                    record: LedgerRecord(
                        counterparty: seller, kind: answer.ledgerKind, refs: ["order": notice.orderID.rawValue],
                        body: reply.ledgerBody)))
        case .changeQuoted(let price, let outage):
            view.changeQuotes.append((price, outage))
        case .outageScheduled(let from, let duration):
            view.changeOutages.append((from, duration))
        case .changed:
            view.changesCompleted += 1
        case .rejected(let reason):
            view.reason = reason
        case .renewed(_, let term):
            view.renewals += 1
            view.terms.append(term)
        case .disconnected:
            view.state = "DISCONNECTED"
            view.disconnectedAt = view.disconnectedAt ?? now
        case .disconnectionWithdrawn:
            view.disconnectionsWithdrawn += 1
        default:
            break
        }
        views[id] = view
        return actions
    }

    /// The scenario's tickets and faults to run on the driver's clock.
    public func scheduledTickets() -> [Action] {
        plan.tickets.enumerated().map { index, ticket in
            .schedule(.openTicket(index), demand: ticket.demand, at: plan.start + ticket.at)
        }
            + plan.reportRequests.enumerated().map { index, request in
                .schedule(.requestReport(index), demand: request.demand, at: plan.start + request.at)
            }
    }

    /// What became of a demand's order; `trail` holds where each provider got each ordered element, `terms` the
    /// service's terms (the seller's inventory when the driver can read it, else what the notices said).
    public func outcome(
        of demand: SimulationPlan.Demand, trail: SourcingTrail, terms: [ProductTerm]? = nil
    ) -> SimulationResult.OrderOutcome? {
        guard let view = views[demand.id], let orderID = view.orderID else { return nil }
        var paths: [String: [String]] = [:]
        for item in demand.payload["productOfferingQualificationItem"]?.arrayValue ?? [] {
            guard let itemID = item["id"]?.stringValue else { continue }
            paths[itemID] = trail.path(from: demand.seller, requestID: orderID, itemID: itemID).path
        }
        var outcome = SimulationResult.OrderOutcome(
            orderID: orderID.rawValue, state: view.state, reason: view.reason, serviceID: view.serviceID,
            activatedAt: view.activatedAt?.description, servicePaths: paths, extensionRequests: view.extensionRequests,
            changePrices: view.changeQuotes.map(\.price.amount), outages: view.changeQuotes.map(\.outage.description),
            changesCompleted: view.changesCompleted,
            terms: (terms ?? view.terms).map { "\($0.start) to \($0.end) (\($0.endOfTermAction.rawValue))" })
        outcome.tickets = view.tickets.map {
            SimulationResult.TicketOutcome(
                ticketID: $0.ticketID, state: $0.state, resolution: $0.resolution, history: $0.history)
        }
        outcome.faultNotices = view.faultNotices
        outcome.faultOutages = view.faultOutages.map { "\($0.duration) from \($0.from)" }
        outcome.changeOutages = view.changeOutages.map { "\($0.duration) from \($0.from)" }
        outcome.reports = view.reports.map(SimulationResult.ReportOutcome.init)
        return outcome
    }
}

extension JSONValue {
    /// A copy with the value at `path` (object keys) set.
    func replacingPath(_ path: [String], with value: JSONValue) -> JSONValue {
        guard let head = path.first else { return value }
        guard case .object(var members) = self else { return self }
        members[head] = (members[head] ?? .object([:])).replacingPath(Array(path.dropFirst()), with: value)
        return .object(members)
    }
}
