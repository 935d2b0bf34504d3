import CanonicalJSON
import Ledger
import SupplyChain

/// Fault management (ETSI PDL §22–35): the SCO diagnoses a buyer's ticket or a fault its monitoring found, decides
/// which of the scenarios A–K applies — in operation or not, internal or external, restore (with or without an
/// outage), abandon or ignore — and drives it: the internal ticket and the notices to the SOF on the internal
/// ledger, tickets, outages and terminations with sellers through the B-BUS, and what the buyer hears through the
/// S-BUS. A seller that receives a ticket runs the same process for its own part of the chain.
extension SCO {
    /// The monitoring reports a fault on an element of a service: it is noted, and acted on now when detected.
    public mutating func noteFault(_ report: FaultReport, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        guard let service = inventory[report.serviceID], service.state != .terminated,
            service.elements.contains(where: { $0.itemID == report.itemID })
        else { return [] }
        faults[report.serviceID] = report
        guard report.detected, faultProcesses[report.serviceID] == nil else { return [] }
        return startFault(report.serviceID, proactive: true, now: now, ids: &ids)
    }

    /// A buyer's ticket (from the S-BUS): refused when the service is not the buyer's, acknowledged otherwise, and
    /// diagnosed against the faults this provider knows of. Nothing wrong found is scenario H.
    mutating func ticketOpened(_ opening: TicketOpening, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        guard let service = inventory[opening.serviceID] else {
            let rejection = Rejection("PDL-085", field: "/relatedEntity", "\(opening.serviceID) is not a service here")
            return [.message(.scoToSBUS(.ticketRefused(opening, rejection)))]
        }
        guard service.buyer == opening.buyer else {
            let rejection = Rejection(
                "PDL-085", field: "/relatedEntity", "\(opening.serviceID) is not a service of \(opening.buyer)")
            return [.message(.scoToSBUS(.ticketRefused(opening, rejection)))]
        }
        var steps: [RoleStep] = [.message(.scoToSBUS(.ticketAccepted(opening)))]
        if service.state == .terminated {
            return steps + [tellBuyer(of: service, incidentID: "", .resolved(resolution: "the service is terminated"))]
        }
        // Being dealt with already: the resolution will resolve this ticket too.
        if faultProcesses[opening.serviceID] != nil { return steps }
        guard faults[opening.serviceID] != nil else {
            // Scenario H: nothing wrong found, the provider leaves it (PDL-080).
            return steps + [
                tellBuyer(
                    of: service, incidentID: opening.sellerTicketID,
                    .resolved(resolution: "no fault found on \(opening.serviceID) (ETSI PDL scenario H)"))
            ]
        }
        steps += startFault(opening.serviceID, proactive: false, now: now, ids: &ids)
        return steps
    }

    /// Opens the internal ticket and drives the scenario the fault and the decision call for.
    private mutating func startFault(
        _ serviceID: String, proactive: Bool, now: Instant, ids: inout IDSequence
    ) -> [RoleStep] {
        guard let report = faults[serviceID], let service = inventory[serviceID],
            let element = service.elements.first(where: { $0.itemID == report.itemID })
        else { return [] }
        var origin = FaultProcess.Origin.internal
        if let seller = element.seller, let sellerServiceID = element.sellerServiceID {
            origin = .external(SellerService(seller: seller, serviceID: sellerServiceID))
        }
        let ticketID = ids.next("itt")
        faultProcesses[serviceID] = FaultProcess(
            serviceID: serviceID, itemID: report.itemID, ticketID: ticketID, origin: origin, report: report)
        var steps: [RoleStep] = [
            toSOF(
                .ticketOpened, serviceID: serviceID, ticketID: ticketID,
                [
                    "element": .string(report.itemID), "description": .string(report.description),
                    "fault": .string(origin == .internal ? "internal" : "external"),
                    "inOperation": .bool(report.inOperation), "decision": .string(report.decision.text),
                ])
        ]
        let ticket = TicketReport(description: report.description, observedImpact: .down)
        switch (report.decision, origin, report.inOperation) {
        case (.ignore, _, _):
            // H: close, notify, record (PDL-080).
            steps += finishFault(serviceID, resolution: "the fault is ignored (ETSI PDL scenario H)")
        case (_, .internal, false):
            // K: the SOF hears of the fault (PDL-083); the ticket closes "Acknowledged" (PDL-084).
            steps.append(
                toSOF(
                    .faultNotified, serviceID: serviceID, ticketID: ticketID,
                    ["notice": "fault", "element": .string(report.itemID)]))
            steps += finishFault(serviceID, resolution: "Acknowledged")
        case (_, .external(let seller), false):
            // J: ticket the faulty seller (PDL-081); resolved when the seller resolves it (PDL-082).
            steps.append(.message(.scoToBBUS(.ticketSeller(seller, ticket))))
        case (.abandon, .internal, true):
            // A (no sellers) and B (with sellers): PDL-061..PDL-067.
            steps += terminate(serviceID, reason: "Service Terminated – Internal Fault", fault: true, now: now)
        case (.abandon, .external(let seller), true):
            // C: ticket the faulty seller, request termination of its service (PDL-068), terminate (PDL-069..072).
            steps.append(.message(.scoToBBUS(.ticketSeller(seller, ticket))))
            steps += terminate(serviceID, reason: "Service Terminated – External Fault", fault: true, now: now)
        case (.restore(let outage, let repairTime), .internal, true):
            // F (outage) and G (none): the SOF repairs; the buyer gets the outage first (PDL-077).
            if proactive {
                steps.append(tellBuyer(of: service, incidentID: ticketID, .faultNotified(detail: report.description)))
            }
            steps.append(
                toSOF(
                    .faultNotified, serviceID: serviceID, ticketID: ticketID,
                    ["notice": "repair", "element": .string(report.itemID)]))
            var doneAt = now + repairTime
            if outage > .zero {
                let start = now + processing
                inventory[serviceID]?.outages.append(
                    ServiceRecord.Outage(itemID: report.itemID, from: start, duration: outage))
                steps.append(
                    tellBuyer(of: service, incidentID: ticketID, .outageScheduled(from: start, duration: outage)))
                doneAt = start + outage
            }
            steps.append(.effect(.setTimer(serviceTimer(service, .repairDone(serviceID: serviceID)), at: doneAt)))
        case (.restore, .external(let seller), true):
            // D and E: ticket the faulty seller; its outage plan and its resolution come back through the B-BUS.
            if proactive {
                steps.append(tellBuyer(of: service, incidentID: ticketID, .faultNotified(detail: report.description)))
            }
            steps.append(.message(.scoToBBUS(.ticketSeller(seller, ticket))))
        }
        return steps
    }

    /// The SOF's repair is over (F, G): the outage ends, the SOF reports the element repaired, the ticket closes.
    mutating func repairDone(serviceID: String, now: Instant) -> [RoleStep] {
        guard let process = faultProcesses[serviceID], let service = inventory[serviceID] else { return [] }
        var steps: [RoleStep] = []
        if case .restore(let outage, _) = process.report.decision, outage > .zero {
            steps.append(tellBuyer(of: service, incidentID: process.ticketID, .outageCompleted))
        }
        steps.append(
            toSOF(.faultCleared, serviceID: serviceID, ticketID: process.ticketID, ["element": .string(process.itemID)])
        )
        return steps + finishFault(serviceID, resolution: "repaired by \(configuration.party)")
    }

    /// A seller's word about a service it delivers here (from the B-BUS).
    mutating func sellerTicketNotice(
        _ notice: TicketNotice, from seller: PartyID, now: Instant, ids: inout IDSequence
    ) -> [RoleStep] {
        let sellerService = SellerService(seller: seller, serviceID: notice.serviceID)
        guard let use = sellerServices[sellerService], let service = inventory[use.serviceID],
            service.state != .terminated
        else { return [] }
        let serviceID = use.serviceID
        switch notice.event {
        case .faultNotified(let detail):
            // The seller found a fault itself: this provider's element is faulty, externally; act on it.
            guard faultProcesses[serviceID] == nil else { return [] }
            let known = faults[serviceID]
            faults[serviceID] = FaultReport(
                serviceID: serviceID, itemID: use.itemID, inOperation: known?.inOperation ?? true,
                decision: known?.decision ?? .restore(outage: .zero, repairTime: .zero), detected: true,
                description: "\(seller) reports: \(detail)")
            return startFault(serviceID, proactive: true, now: now, ids: &ids)
        case .outageScheduled(let from, let duration):
            // D: the same window with the buyer (PDL-073) and agreed with the faulty seller (PDL-074).
            guard let process = faultProcesses[serviceID] else { return [] }
            return [
                .message(.scoToBBUS(.agreeOutage(sellerService, from: from, duration: duration))),
                tellBuyer(of: service, incidentID: process.ticketID, .outageScheduled(from: from, duration: duration)),
            ]
        case .outageCompleted:
            guard let process = faultProcesses[serviceID] else { return [] }
            return [tellBuyer(of: service, incidentID: process.ticketID, .outageCompleted)]
        case .resolved(let resolution), .faultCleared(let resolution):
            // D, E, J: once the seller repaired (or closed) its part, close the ticket with it and resolve here
            // (PDL-075, PDL-076, PDL-082).
            guard let process = faultProcesses[serviceID], process.origin == .external(sellerService) else {
                return []
            }
            var steps: [RoleStep] = []
            if case .resolved = notice.event { steps.append(.message(.scoToBBUS(.closeSellerTicket(sellerService)))) }
            return steps + finishFault(serviceID, resolution: "\(seller): \(resolution)")
        case .serviceTerminated(let reason):
            // The seller ended its part: the service cannot go on (a termination travels up the chain).
            return terminate(
                serviceID, reason: "Service Terminated – External Fault (\(seller): \(reason))", fault: true,
                now: now, except: sellerService)
        default:
            return []
        }
    }

    /// The buyer ends a service (its own buyer abandoned it, or a termination from above): every element released
    /// or terminated with its seller, down the chain.
    mutating func terminationRequested(
        buyer: PartyID, serviceID: String, reason: String, now: Instant
    ) -> [RoleStep] {
        guard let service = inventory[serviceID], service.buyer == buyer, service.state != .terminated else {
            return []
        }
        return terminate(serviceID, reason: "terminated at \(buyer)'s request: \(reason)", fault: false, now: now)
    }

    /// Terminates a service: the buyer hears "Service Terminated" (PDL-061, PDL-064, PDL-069), the service leaves
    /// the inventory (PDL-062, PDL-065, PDL-070), the SOF hears why (PDL-063, PDL-066, PDL-071) and releases its
    /// elements, every seller's part is terminated (PDL-067, PDL-068, PDL-072), and the internal ticket closes.
    private mutating func terminate(
        _ serviceID: String, reason: String, fault: Bool, now: Instant, except: SellerService? = nil
    ) -> [RoleStep] {
        guard var service = inventory[serviceID], service.state != .terminated else { return [] }
        service.state = .terminated
        inventory[serviceID] = service
        let ticketID = faultProcesses[serviceID]?.ticketID ?? ""
        var steps: [RoleStep] = [tellBuyer(of: service, incidentID: ticketID, .serviceTerminated(reason: reason))]
        if fault {
            steps.append(
                toSOF(.faultNotified, serviceID: serviceID, ticketID: ticketID, ["notice": .string(reason)]))
        }
        for element in service.elements {
            if let seller = element.seller, let sellerServiceID = element.sellerServiceID {
                let sellerService = SellerService(seller: seller, serviceID: sellerServiceID)
                sellerServices.removeValue(forKey: sellerService)
                if sellerService != except {
                    steps.append(.message(.scoToBBUS(.requestTermination(sellerService, reason: reason))))
                }
            } else {
                sof.release(element.element)
                steps.append(
                    effect: .record(
                        LedgerRecord(
                            counterparty: configuration.sofParty, kind: .sofReleased,
                            refs: ["service": serviceID, "element": element.itemID], body: ["reason": .string(reason)]))
                )
            }
        }
        if faultProcesses.removeValue(forKey: serviceID) != nil {
            steps.append(
                toSOF(.ticketClosed, serviceID: serviceID, ticketID: ticketID, ["resolution": .string(reason)]))
        }
        faults.removeValue(forKey: serviceID)
        return steps
    }

    /// The fault is dealt with: the internal ticket closes, the buyer's tickets are resolved.
    private mutating func finishFault(_ serviceID: String, resolution: String) -> [RoleStep] {
        guard let process = faultProcesses.removeValue(forKey: serviceID), let service = inventory[serviceID] else {
            return []
        }
        faults.removeValue(forKey: serviceID)
        return [
            toSOF(.ticketClosed, serviceID: serviceID, ticketID: process.ticketID, ["resolution": .string(resolution)]),
            tellBuyer(of: service, incidentID: process.ticketID, .resolved(resolution: resolution)),
        ]
    }

    /// Something the buyer of `service` must hear (through the S-BUS).
    private func tellBuyer(of service: ServiceRecord, incidentID: String, _ event: TicketEvent) -> RoleStep {
        .message(
            .scoToSBUS(
                .serviceEvent(buyer: service.buyer, serviceID: service.serviceID, incidentID: incidentID, event)))
    }

    /// An entry on the internal ledger about a fault or ticket.
    private func toSOF(
        _ kind: LedgerKind, serviceID: String, ticketID: String, _ body: [String: JSONValue]
    ) -> RoleStep {
        var refs = ["service": serviceID]
        if !ticketID.isEmpty { refs["ticket"] = ticketID }
        return .effect(
            .record(LedgerRecord(counterparty: configuration.sofParty, kind: kind, refs: refs, body: .object(body))))
    }

}

extension FaultDecision {
    /// How the decision reads in the internal ticket.
    var text: String {
        switch self {
        case .restore(let outage, let repairTime):
            outage > .zero ? "restore with a \(outage) outage" : "restore without outage in \(repairTime)"
        case .abandon: "abandon"
        case .ignore: "ignore"
        }
    }
}
