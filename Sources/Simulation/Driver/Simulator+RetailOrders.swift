import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// What the retail buyer does next with an order.
enum RetailStep {
    case placeOrder
    case change(Int)
    case renew
}

/// What a retail buyer saw of its order and of the service behind it.
struct RetailOrderView {
    var orderID: RequestID?
    var state: String?
    var reason: String?
    var serviceID: String?
    var activatedAt: Instant?
    var changeQuotes: [(price: Money, outage: TimeSpan)] = []
    var changesCompleted = 0
    var extensionRequests = 0
    var renewals = 0
    var pendingChanges: [RequestID: Int] = [:]
}

/// The retail buyer's side of ordering: it orders what was quoted, answers extension requests, and changes and
/// renews the service on the scenario's schedule. Every order and answer it sends is recorded on its ledger.
extension Simulator {
    func quoteArrived(demand id: String) throws {
        guard let demand = plan.demands.first(where: { $0.id == id }), let order = demand.order,
            retail[id]?.order.orderID == nil, retail[id]?.response?.state == .ready
        else { return }
        queue.schedule(.retail(demand: id, .placeOrder), at: now + order.after)
    }

    func retailStep(_ step: RetailStep, demand id: String) throws {
        guard let demand = plan.demands.first(where: { $0.id == id }), let plan = demand.order,
            let quote = retail[id]?.response
        else { return }
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
                acceptBy: now + plan.acceptanceWindow, activateBy: now + plan.activationWindow, term: term)
            retail[id]?.order.orderID = order.id
            try sendOrder(order, demand: demand)
        case .change(let index):
            guard let serviceID = retail[id]?.order.serviceID, index < plan.changes.count else { return }
            let order = OrderRequest(
                id: RequestID("\(demand.buyer.rawValue)-\(demand.id)-change-\(index + 1)"),
                action: .change(serviceID: serviceID, plan.changes[index].change),
                acceptBy: now + plan.acceptanceWindow,
                activateBy: now + plan.activationWindow, term: nil)
            retail[id]?.order.pendingChanges[order.id] = index
            try sendOrder(order, demand: demand)
        case .renew:
            guard let serviceID = retail[id]?.order.serviceID, let renewal = plan.renew else { return }
            let term = ProductTerm(start: now, end: now + renewal.term, endOfTermAction: renewal.action)
            let order = OrderRequest(
                id: RequestID("\(demand.buyer.rawValue)-\(demand.id)-renewal"),
                action: .renew(serviceID: serviceID, term),
                acceptBy: now + plan.acceptanceWindow, activateBy: now + plan.activationWindow, term: term)
            try sendOrder(order, demand: demand)
        }
    }

    private func sendOrder(_ order: OrderRequest, demand: SimulationPlan.Demand) throws {
        demandOfRequest[order.id] = demand.id
        let kind: String
        switch order.action {
        case .provide: kind = "order.request"
        case .change: kind = "change.request"
        case .renew: kind = "order.renewal_request"
        }
        record(
            LedgerRecord(
                counterparty: demand.seller, kind: kind, refs: ["order": order.id.rawValue], body: order.ledgerBody),
            by: demand.buyer)
        send(.order(order), from: demand.buyer, to: demand.seller)
    }

    func retailOrderNotice(_ notice: OrderNotice, from seller: PartyID) throws {
        guard let id = demandOfRequest[notice.orderID], let demand = plan.demands.first(where: { $0.id == id }),
            let orderPlan = demand.order
        else { return }
        let isMainOrder = retail[id]?.order.orderID == notice.orderID
        switch notice.event {
        case .accepted where isMainOrder:
            retail[id]?.order.state = "ACCEPTED"
        case .rejected(let reason) where isMainOrder:
            retail[id]?.order.state = "REJECTED"
            retail[id]?.order.reason = reason
        case .activated(let serviceID) where isMainOrder:
            retail[id]?.order.state = "ACTIVATED"
            retail[id]?.order.serviceID = serviceID
            retail[id]?.order.activatedAt = now
            for (index, change) in orderPlan.changes.enumerated() {
                queue.schedule(.retail(demand: id, .change(index)), at: now + change.after)
            }
            if let renewal = orderPlan.renew { queue.schedule(.retail(demand: id, .renew), at: now + renewal.after) }
        case .failed(let reason) where isMainOrder:
            retail[id]?.order.state = "FAILED"
            retail[id]?.order.reason = reason
        case .extensionRequested(let until) where isMainOrder:
            retail[id]?.order.extensionRequests += 1
            let answer: OrderEvent = orderPlan.grantExtension ? .windowChanged(until: until) : .extensionRefused
            let reply = OrderNotice(
                orderID: notice.orderID, sellerOrderReference: notice.sellerOrderReference, event: answer, at: now)
            record(
                LedgerRecord(
                    counterparty: seller, kind: answer.ledgerKind, refs: ["order": notice.orderID.rawValue],
                    body: reply.ledgerBody),
                by: demand.buyer)
            send(.orderNotice(reply), from: demand.buyer, to: seller)
        case .changeQuoted(let price, let outage):
            retail[id]?.order.changeQuotes.append((price, outage))
        case .changed:
            retail[id]?.order.changesCompleted += 1
        case .rejected(let reason):
            retail[id]?.order.reason = reason
        case .renewed:
            retail[id]?.order.renewals += 1
        case .disconnected:
            retail[id]?.order.state = "DISCONNECTED"
        default:
            break
        }
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
