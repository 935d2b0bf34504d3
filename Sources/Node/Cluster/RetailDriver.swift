import CanonicalJSON
import Foundation
import Ledger
import Logging
import ScenarioModel
import Sonata
import SupplyChain

/// The retail buyers of a stepped-clock cluster run: they send the scenario's demand at its protocol times,
/// take the final answers and order notices from their listener, and order, change and renew as
/// `RetailOrdering` decides, and answer and pay invoices as `RetailBilling` decides — the same decisions the
/// simulator's retail buyers make.
///
/// Everything they send goes out as counted jobs, so that the controller knows when they are quiet.
actor RetailDriver {
    let plan: SimulationPlan
    let clock: SteppedClock
    nonisolated let jobs = JobQueue()
    private let clients: [PartyID: NodeClient]
    /// The clock's controller: it reads the nodes' inventories and reports the scenario's faults to them.
    private let controller: NodeClient?
    /// Per demand, the state of its service in each provider's inventory (read at the end of the run).
    private(set) var serviceStates: [String: [String: String]] = [:]
    /// Each provider's SLA reputation at the end of the run (read from the nodes).
    private(set) var reputations: [String: String] = [:]
    private let ledgers: [PartyID: NodeLedgers]
    private let listener: String
    private let logger: Logger
    private(set) var ordering: RetailOrdering
    private(set) var observations: [String: SimulationResult.RetailObservation] = [:]
    private var demandOfRequest: [RequestID: String] = [:]
    private var inputs: UInt64 = 0
    /// How many times the clocks moved, and the last protocol time they moved to.
    private(set) var steps = 0
    private(set) var reached: Instant

    init(
        plan: SimulationPlan, clients: [PartyID: NodeClient], ledgers: [PartyID: NodeLedgers], listener: String,
        logger: Logger, controller: NodeClient? = nil
    ) {
        self.controller = controller
        self.plan = plan
        self.clock = SteppedClock(start: plan.start)
        self.reached = plan.start
        self.clients = clients
        self.ledgers = ledgers
        self.listener = listener
        self.logger = logger
        self.ordering = RetailOrdering(plan: plan)
    }

    /// Schedules every demand at its time.
    func start() {
        for demand in plan.demands {
            clock.schedule(at: plan.start + demand.at) { await self.send(demand) }
        }
        perform(ordering.scheduledTickets())
        for fault in plan.faults {
            clock.schedule(at: plan.start + fault.at) { await self.inject(fault) }
        }
    }

    /// Reports a fault to every provider along the service's chain, from the faulty provider up, as the
    /// simulator does (`SimulationPlan.FaultPlan.reports(along:)`).
    private func inject(_ fault: SimulationPlan.FaultPlan) {
        inputs += 1
        guard let controller, let demand = plan.demand(id: fault.demand),
            let serviceID = ordering.views[fault.demand]?.serviceID
        else { return }
        let logger = self.logger
        jobs.start {
            let chain = await Self.chain(from: demand.seller, serviceID: serviceID, itemID: fault.itemID, controller)
            for (party, report) in fault.reports(along: chain) {
                do {
                    let reply = try await controller.send(
                        .POST, to: party, path: NodeRoutes.operatorBase + "/faults",
                        body: try JSONEncoder().encode(report))
                    if reply.status >= 300 {
                        logger.error("fault not taken", metadata: ["party": "\(party)", "status": "\(reply.status)"])
                    }
                } catch {
                    logger.error("fault not reported", metadata: ["party": "\(party)", "error": "\(error)"])
                }
            }
        }
    }

    /// The chain behind a retail service's element, read from each node's inventory.
    private static func chain(
        from seller: PartyID, serviceID: String, itemID: String, _ controller: NodeClient
    ) async -> [ServiceHop] {
        var hops: [ServiceHop] = []
        var next: (PartyID, String)? = (seller, serviceID)
        while let (party, id) = next, hops.count < 64 {
            guard
                let reply = try? await controller.send(
                    .GET, to: party, path: NodeRoutes.operatorBase + "/services/\(id)"),
                reply.status == 200, let service = try? JSONDecoder().decode(ServiceSnapshot.self, from: reply.body)
            else { break }
            hops.append(ServiceHop(party: party, service: service))
            next = service.next(itemID)
        }
        return hops
    }

    /// Reads, for every ordered service, its state in each provider's inventory along the chain.
    func readServiceStates() async {
        guard let controller else { return }
        for provider in plan.providers.map(\.party) {
            guard
                let reply = try? await controller.send(
                    .GET, to: provider, path: NodeRoutes.operatorBase + "/reputation"),
                reply.status == 200,
                let body = try? JSONDecoder().decode([String: String?].self, from: reply.body),
                let text = body["reputation"] ?? nil
            else { continue }
            reputations[provider.rawValue] = text
        }
        for demand in plan.demands {
            guard let serviceID = ordering.views[demand.id]?.serviceID else { continue }
            var states: [String: String] = [:]
            for item in demand.payload["productOfferingQualificationItem"]?.arrayValue ?? [] {
                let itemID = item["id"]?.stringValue ?? ""
                for hop in await Self.chain(from: demand.seller, serviceID: serviceID, itemID: itemID, controller) {
                    states[hop.party.rawValue] = hop.service.state
                }
            }
            serviceStates[demand.id] = states
        }
    }

    /// The controller moved every clock to `instant`.
    func stepped(to instant: Instant) {
        steps += 1
        reached = instant
    }

    /// Jobs running, and a counter that moves whenever the retail buyers do anything.
    func activity() -> (running: Int, activity: UInt64) {
        let jobs = self.jobs.activity
        return (jobs.running, jobs.started &+ inputs)
    }

    private func send(_ demand: SimulationPlan.Demand) {
        let now = clock.now()
        let requestID = RequestID("\(demand.buyer.rawValue)-\(demand.id)")
        demandOfRequest[requestID] = demand.id
        observations[demand.id] = .init(sentAt: now, acknowledged: false, notifications: 0, response: nil)
        let request = SupplyRequest(
            id: requestID, kind: demand.kind, payload: demand.payload, loopPreventionList: LoopPreventionList(),
            respondBy: now + demand.window)
        guard let client = clients[demand.buyer], let ledger = ledgers[demand.buyer] else { return }
        let listener = self.listener
        let logger = self.logger
        let jobs = self.jobs
        jobs.start {
            let first = await ClusterRunner.post(
                request, demand: demand, client: client, ledger: ledger, listener: listener, replyTo: listener,
                at: now, logger: logger, start: { jobs.start($0) })
            if let first { await self.receive(first, from: demand.seller) }
        }
    }

    /// A message from a seller: an answer (in an HTTP response or on the listener) or an order notice.
    func receive(_ message: Message, from seller: PartyID) {
        inputs += 1
        let now = clock.now()
        switch message {
        case .acknowledgement(let response):
            if let id = demandOfRequest[response.requestID] { observations[id]?.acknowledged = true }
        case .response(let response):
            guard let id = demandOfRequest[response.requestID], observations[id]?.response == nil else { return }
            observations[id]?.response = response
            perform(ordering.answerArrived(response, demand: id, now: now))
        case .orderNotice(let notice):
            perform(ordering.notice(notice, from: seller, now: now))
        case .ticket(let notice):
            perform(ordering.notice(notice, from: seller, now: now))
        case .performance(.report(let report)):
            ordering.report(report, from: seller)
        case .performance(.request), .performance(.schedule), .performance(.cancelSchedule):
            break
        case .invoice(let invoice):
            // Accepted as issued and paid when due, as the simulator's retail buyers do (`RetailBilling`).
            guard let answer = RetailBilling.answer(invoice, from: seller, contracts: plan.contracts, now: now)
            else { return }
            perform([
                .send(
                    .reconciliation(answer.reconciliation), buyer: invoice.buyer, seller: seller, record: answer.record)
            ])
            if let payment = answer.payment {
                let buyer = invoice.buyer
                clock.schedule(at: answer.payAt) { await self.pay(payment, buyer: buyer, seller: seller) }
            }
        case .request, .notification, .hubRegistration, .order, .reconciliation, .disputeResolution, .payment,
            .quoteDecision:
            break
        }
    }

    /// A retail buyer pays an invoice it accepted, on the day `RetailBilling` chose.
    private func pay(_ payment: Payment, buyer: PartyID, seller: PartyID) {
        inputs += 1
        perform([
            .send(
                .payment(payment), buyer: buyer, seller: seller, record: RetailBilling.record(payment, seller: seller))
        ])
    }

    private func step(_ step: RetailStep, demand id: String) {
        inputs += 1
        guard let quote = observations[id]?.response else { return }
        perform(ordering.step(step, demand: id, quote: quote, now: clock.now()))
    }

    private func perform(_ actions: [RetailOrdering.Action]) {
        for action in actions {
            switch action {
            case .schedule(let step, let demand, let at):
                clock.schedule(at: at) { await self.step(step, demand: demand) }
            case .send(let message, let buyer, let seller, let record):
                guard let client = clients[buyer], let ledger = ledgers[buyer] else { continue }
                let now = clock.now()
                let listener = self.listener
                let logger = self.logger
                jobs.start {
                    do {
                        try await ledger.appendInOrder(record, at: now)
                    } catch {
                        logger.error("retail ledger append failed", metadata: ["error": "\(error)"])
                    }
                    let path = NodeRoutes.sellerPath(for: message)
                    do {
                        let body = try JSONEncoder().encode(SupplyEnvelope(message: message))
                        let reply = try await client.send(
                            .POST, to: seller, path: path, body: body,
                            headers: [(NodeHeaders.replyTo.rawName, listener)],
                            contentType: NodeHeaders.supplyChainMediaType, accept: NodeHeaders.supplyChainMediaType)
                        if reply.status >= 300 {
                            logger.error("seller refused", metadata: ["path": "\(path)", "status": "\(reply.status)"])
                        }
                    } catch {
                        logger.error("order not sent", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }
}
