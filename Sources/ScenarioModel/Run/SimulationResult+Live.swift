import Ledger
import SupplyChain

extension SimulationResult {
    /// What one retail buyer observed for one demand, in a live run (`broker cluster`).
    public struct RetailObservation: Sendable {
        public var sentAt: Instant?
        public var acknowledged: Bool
        public var notifications: Int
        public var response: SupplyResponse?

        public init(sentAt: Instant?, acknowledged: Bool, notifications: Int, response: SupplyResponse?) {
            self.sentAt = sentAt
            self.acknowledged = acknowledged
            self.notifications = notifications
            self.response = response
        }
    }

    /// The outcome of a run of `plan` (simulated or live), with the plan's expectations checked against it: both
    /// drivers report through here, so that they describe and judge a scenario the same way.
    /// - Parameters:
    ///   - observations: per demand id, what its retail buyer saw.
    ///   - trail: where each provider got each item, to show the items' paths down the chain.
    ///   - orders: per demand id, what became of its order.
    public init(
        live plan: SimulationPlan, observations: [String: RetailObservation], trail: SourcingTrail,
        orders: [String: OrderOutcome] = [:], ledgers: [LedgerSummary], reputations: [String: String] = [:],
        requestsReceived: [String: [String: Int]], auditFindings: [String], events: Int, duration: String,
        ledgerDirectory: String?, invoices: [InvoiceOutcome] = [], auditSkipped: String? = nil
    ) {
        var demands: [DemandOutcome] = []
        for demand in plan.demands {
            let view = observations[demand.id]
            let response = view?.response
            let requestID = RequestID("\(demand.buyer.rawValue)-\(demand.id)")
            let items = (response?.items ?? []).map { item -> ItemOutcome in
                let trail = trail.path(from: demand.seller, requestID: requestID, itemID: item.itemID)
                return ItemOutcome(
                    id: item.itemID, state: item.state.rawValue, confidence: item.offer?.confidence.rawValue,
                    price: item.offer?.price?.amount,
                    installationIntervalDays: item.offer?.isDeliverable == true
                        ? item.offer?.installationInterval.wholeDaysRoundedUp : nil,
                    deliveryType: item.offer?.deliveryType?.rawValue, path: trail.path,
                    reason: item.reason
                        ?? (item.offer?.isDeliverable == false ? item.offer?.confidenceReason : trail.reason),
                    alternates: item.offer?.alternates.count ?? 0)
            }
            demands.append(
                DemandOutcome(
                    id: demand.id, buyer: demand.buyer.rawValue, seller: demand.seller.rawValue,
                    kind: demand.kind.rawValue, deferred: demand.deferred,
                    sentAt: (view?.sentAt ?? plan.start + demand.at).description,
                    answeredAt: response?.answeredAt.description, state: response?.state.rawValue,
                    sellerReference: response?.sellerReference, acknowledged: view?.acknowledged ?? false,
                    notifications: view?.notifications ?? 0, confidence: response?.confidence?.rawValue,
                    totalPrice: response?.totalPrice?.amount, currency: response?.totalPrice?.currency,
                    validUntil: response?.validUntil?.description, reason: response?.reason,
                    findings: response?.findings.map(\.description) ?? [], items: items, order: orders[demand.id]))
        }
        var partial = SimulationResult(
            scenario: plan.name, seed: plan.seed, demands: demands, ledgers: ledgers,
            requestsReceived: requestsReceived, auditFindings: auditFindings, expectations: [], events: events,
            virtualDuration: duration, ledgerDirectory: ledgerDirectory)
        partial.reputations = reputations
        partial.invoices = invoices
        partial.auditSkipped = auditSkipped
        self.init(
            scenario: partial.scenario, seed: partial.seed, demands: partial.demands, ledgers: partial.ledgers,
            requestsReceived: partial.requestsReceived, auditFindings: partial.auditFindings,
            expectations: ExpectationChecker.check(plan.expectations, against: partial),
            events: partial.events, virtualDuration: partial.virtualDuration, ledgerDirectory: partial.ledgerDirectory)
        self.reputations = reputations
        self.invoices = invoices
        self.auditSkipped = auditSkipped
    }
}

extension SimulationResult.LedgerSummary {
    /// A live ledger's summary; `kinds` lists the entry kinds on it when the caller read them.
    public init(parties: [PartyID], ledgerID: LedgerID, entries: UInt64, head: String, kinds: [String] = []) {
        self.init(
            parties: parties.map(\.rawValue), ledgerID: ledgerID.rawValue, entries: entries, head: head, kinds: kinds)
    }
}
