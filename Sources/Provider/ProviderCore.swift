import BBUS
import Ledger
import SBUS
import SCO
import Sonata
import SupplyChain

/// One provider's protocol core: a router over its roles, S-BUS, SCO with its SOF, and B-BUS.
///
/// It takes one input at a time (a message or a timer) with the time `now` and an entropy source, hands it to the
/// role the standard gives it to, delivers the messages the roles send each other, and returns the effects for its
/// driver to carry out, in the order the roles produced them: messages to send, timers to set, ledger entries to
/// append, trace events. Each role message is delivered where it was emitted (depth first), so one input always
/// gives the same effects in the same order. The core holds no process state of its own: the roles do. It never
/// reads a clock, the network or the disk, so the simulator and the live node run the same code.
public struct ProviderCore: Sendable {
    public let configuration: ProviderConfiguration
    private var sbus: SBUS
    private var sco: SCO
    private var bbus: BBUS
    /// The ids the roles give quotes, orders, requests and services, one sequence for the provider.
    private var ids: IDSequence

    public init(configuration: ProviderConfiguration) {
        self.configuration = configuration
        self.sbus = SBUS(party: configuration.party, configuration: configuration.sbus)
        self.sco = SCO(
            configuration: SCOConfiguration(
                party: configuration.party, processingTime: configuration.sbus.processingTime,
                ranking: configuration.ranking, chainTestFails: configuration.chainTestFails),
            sof: SOF(catalog: configuration.catalog))
        self.bbus = BBUS(party: configuration.party, configuration: configuration.bbus)
        self.ids = IDSequence(party: configuration.party)
    }

    public var party: PartyID { configuration.party }

    /// What the drivers may read of the roles' state: hubs, quotes, orders, inventory.
    public var view: ProviderView { ProviderView(sbus: sbus, sco: sco) }

    /// The counter behind every id this core hands out (`METRO-poq-7`): a driver that restores a core from a
    /// journal raises it to what it was, so no id is ever handed out twice.
    public var idCounter: Int { ids.counter }

    /// Raises the id counter to at least `value` (never lowers it).
    public mutating func raiseIDCounter(to value: Int) { ids.raise(to: value) }

    /// Handles one input at `now`; returns what the driver must do, in order.
    public mutating func handle(_ input: ProviderInput, now: Instant, entropy: inout some EntropySource) -> [Effect] {
        let steps: [RoleStep]
        switch input {
        case .message(let from, .request(let request)):
            steps = sbus.receive(request, from: from, now: now, ids: &ids)
        case .message(let from, .response(let response)):
            steps = bbus.receive(response, from: from)
        case .message(_, .acknowledgement):
            return []  // the seller's POQ id is on the ledger (its poq.receipt entry); the final answer follows
        case .message(let from, .hubRegistration(let registration)):
            steps = sbus.register(registration, buyer: from)
        case .message(_, .notification):
            return []  // B-BUS does not register with its sellers; it waits for their final answers
        case .message(let from, .order(let order)):
            steps = sbus.receive(order, from: from, now: now, ids: &ids)
        case .message(let from, .ticket(let notice)):
            // A buyer's ticket, close or termination goes to the S-BUS; a seller's word to the B-BUS.
            steps =
                notice.event.isFromBuyer
                ? sbus.receive(notice, from: from, now: now, ids: &ids) : bbus.receive(notice, from: from)
        case .message(let from, .performance(.request(let request))):
            steps = sbus.receive(request, from: from)
        case .message(let from, .performance(.report(let report))):
            steps = bbus.receive(report, from: from)
        case .message(let from, .performance(.schedule(let schedule))):
            steps = sbus.receive(schedule, from: from)
        case .message(let from, .performance(.cancelSchedule(let serviceID, let jobID))):
            steps = sbus.cancelSchedule(serviceID: serviceID, jobID: jobID, from: from)
        case .fault(let report):
            steps = sco.noteFault(report, now: now, ids: &ids)
        case .message(let from, .orderNotice(let notice)):
            // About an order this provider placed: the B-BUS's; otherwise the buyer's word to the S-BUS.
            steps =
                bbus.placed(notice.orderID, with: from)
                ? bbus.receive(notice, from: from) : sbus.receive(notice, from: from)
        case .message(let from, .invoice(let invoice)):
            steps = bbus.receive(invoice, from: from, now: now)
        case .message(let from, .reconciliation(let reconciliation)):
            steps = sbus.receive(reconciliation, from: from, now: now)
        case .message(let from, .disputeResolution(let resolution)):
            steps = bbus.receive(resolution, from: from, now: now)
        case .message(let from, .payment(let payment)):
            steps = sbus.receive(payment, from: from)
        case .message(let from, .quoteDecision(let decision)):
            // A buyer's cancellation or decline; a seller's confirmation of one is the B-BUS's, which asks none.
            guard decision.decidedAt == nil else { return [] }
            steps = sbus.receive(decision, from: from, now: now)
        case .timer(let key):
            switch key.purpose {
            case .bbus(let timer):
                steps = bbus.fire(timer, key: RequestKey(buyer: key.buyer, requestID: key.requestID), now: now)
            case .sbus(let timer):
                steps = sbus.fire(timer, buyer: key.buyer, id: key.requestID, now: now, ids: &ids)
            case .sco(let timer):
                steps = sco.fire(timer, key: OrderKey(buyer: key.buyer, orderID: key.requestID), now: now, ids: &ids)
            }
        }
        var effects: [Effect] = []
        deliver(steps, into: &effects, now: now, entropy: &entropy)
        return effects
    }

    /// Collects the effects of `steps` in order, delivering each role message where it stands.
    private mutating func deliver(
        _ steps: [RoleStep], into effects: inout [Effect], now: Instant, entropy: inout some EntropySource
    ) {
        for step in steps {
            switch step {
            case .effect(let effect):
                effects.append(effect)
            case .message(let message):
                deliver(route(message, now: now, entropy: &entropy), into: &effects, now: now, entropy: &entropy)
            }
        }
    }

    /// Hands a role message to the role it is addressed to.
    private mutating func route(
        _ message: RoleMessage, now: Instant, entropy: inout some EntropySource
    ) -> [RoleStep] {
        switch message {
        case .sbusToSCO(let message): sco.handle(message, now: now, ids: &ids)
        case .scoToBBUS(let message): bbus.handle(message, now: now, ids: &ids, entropy: &entropy)
        case .bbusToSCO(let message): sco.handle(message, now: now, ids: &ids)
        case .scoToSBUS(let message): sbus.handle(message, now: now)
        case .sbusToBBUS(let message): bbus.handle(message)
        }
    }
}
