import CanonicalJSON
import Ledger
import SupplyChain

/// Performance reporting (ETSI PDL §37–46): on demand (PDL-087..PDL-091) and at each interval of the agreed
/// schedule (PDL-086), the SOF measures every internal element and records it (PDL-089, PDL-093), the B-BUS asks
/// the seller of every external one (PDL-090) — or, on a schedule, the seller's own scheduled report comes in —
/// and the SCO aggregates them along the chaining sequence into one report for the S-BUS (PDL-094, PDL-095). A
/// seller that does not report in time leaves its element missing, never assumed compliant.
extension SCO {
    /// A buyer's request for a report (from the S-BUS).
    mutating func reportRequested(_ request: ReportRequest, buyer: PartyID, now: Instant) -> [RoleStep] {
        guard let service = inventory[request.serviceID], service.buyer == buyer, request.from < request.to else {
            return []
        }
        let deadline = request.respondBy - processing
        return startReport(
            service, reportID: request.reportID, from: request.from, to: request.to, scheduled: false,
            deadline: deadline, now: now)
    }

    /// An interval of a service's schedule ended: its scheduled report, and the next interval's timer.
    mutating func reportInterval(serviceID: String, now: Instant) -> [RoleStep] {
        guard let service = inventory[serviceID], service.state == .active, let terms = service.reporting else {
            return []
        }
        let from = now - terms.every
        let reportID = "\(serviceID)@\(from.milliseconds)"
        var steps = startReport(
            service, reportID: reportID, from: from, to: now, scheduled: true, deadline: now + terms.within, now: now)
        steps.append(
            effect: .setTimer(serviceTimer(service, .reportInterval(serviceID: serviceID)), at: now + terms.every))
        return steps
    }

    /// Starts a report. Sellers are asked for their part on demand unless the report is on the schedule agreed with
    /// the order (their own scheduled reports come in then); a buyer's own schedule (`jobID`) asks them.
    mutating func startReport(
        _ service: ServiceRecord, reportID: String, from: Instant, to: Instant, scheduled: Bool, jobID: String? = nil,
        deadline: Instant, now: Instant
    ) -> [RoleStep] {
        let key = ReportKey(serviceID: service.serviceID, reportID: reportID)
        guard reports[key] == nil else { return [] }
        let askSellers = !scheduled || jobID != nil
        var process = ReportProcess(
            serviceID: service.serviceID, buyer: service.buyer, reportID: reportID, from: from, to: to,
            scheduled: scheduled, jobID: jobID, order: service.elements.map(\.itemID), awaiting: [:])
        var steps: [RoleStep] = []
        for element in service.elements {
            if let seller = element.seller, let sellerServiceID = element.sellerServiceID {
                let sellerService = SellerService(seller: seller, serviceID: sellerServiceID)
                process.awaiting[sellerService] = element.itemID
                let sellerReportID =
                    askSellers ? "\(reportID)/\(element.itemID)" : "\(sellerServiceID)@\(from.milliseconds)"
                if let early = earlyReports.removeValue(
                    forKey: ReportKey(serviceID: sellerServiceID, reportID: sellerReportID))
                {
                    process.awaiting.removeValue(forKey: sellerService)
                    process.parts[element.itemID] = part(early, itemID: element.itemID, seller: seller)
                } else if askSellers {
                    let request = ReportRequest(
                        reportID: sellerReportID, serviceID: sellerServiceID, from: from, to: to, respondBy: deadline)
                    steps.append(.message(.scoToBBUS(.requestReport(sellerService, request))))
                }
            } else {
                // PDL-089, PDL-093: the SOF measures the element and records it.
                let measurement = sof.measure(
                    element.element, serviceID: service.serviceID, from: from, to: to, outages: service.outages)
                process.parts[element.itemID] = ElementPerformance(
                    itemID: element.itemID, source: "internal", measured: measurement?.measured,
                    objectives: measurement?.objectives, usageMB: measurement?.usageMB)
                var body: [String: JSONValue] = [
                    "from": .string(from.description), "to": .string(to.description),
                ]
                if let measurement {
                    body["measured"] = (try? JSONValue(encoding: measurement.measured)) ?? .null
                    body["objectives"] = (try? JSONValue(encoding: measurement.objectives)) ?? .null
                    if let usage = measurement.usageMB { body["usageMB"] = .number(Double(usage)) }
                } else {
                    body["measured"] = "no SLA in the catalog for this offering"
                }
                steps.append(
                    effect: .record(
                        LedgerRecord(
                            counterparty: configuration.sofParty, kind: .sofMeasured,
                            refs: ["service": service.serviceID, "element": element.itemID, "report": reportID],
                            body: .object(body))))
            }
        }
        reports[key] = process
        if process.isComplete { return steps + finishReport(key, now: now) }
        return steps + [
            .effect(
                .setTimer(
                    serviceTimer(service, .reportDeadline(serviceID: service.serviceID, reportID: reportID)),
                    at: deadline))
        ]
    }

    /// A seller's report on an element of one of this provider's services (from the B-BUS).
    mutating func sellerReport(_ report: PerformanceReport, from seller: PartyID, now: Instant) -> [RoleStep] {
        let sellerService = SellerService(seller: seller, serviceID: report.serviceID)
        guard let use = sellerServices[sellerService] else { return [] }
        let reportID: String
        if report.scheduled {
            reportID = "\(use.serviceID)@\(report.from.milliseconds)"
        } else {
            // The seller's id for an on-demand report is this provider's id, "/", the element.
            reportID = String(report.reportID.dropLast(use.itemID.count + 1))
        }
        let key = ReportKey(serviceID: use.serviceID, reportID: reportID)
        guard var process = reports[key], process.awaiting.removeValue(forKey: sellerService) != nil else {
            // A scheduled report ahead of this provider's own interval end: kept until it starts.
            if report.scheduled {
                earlyReports[ReportKey(serviceID: report.serviceID, reportID: report.reportID)] = report
            }
            return []
        }
        process.parts[use.itemID] = part(report, itemID: use.itemID, seller: seller)
        reports[key] = process
        return process.isComplete ? finishReport(key, now: now) : []
    }

    /// The deadline passed: what is not in is missing.
    mutating func reportDeadline(serviceID: String, reportID: String, now: Instant) -> [RoleStep] {
        finishReport(ReportKey(serviceID: serviceID, reportID: reportID), now: now)
    }

    private mutating func finishReport(_ key: ReportKey, now: Instant) -> [RoleStep] {
        guard let process = reports.removeValue(forKey: key), let service = inventory[key.serviceID] else {
            return []
        }
        var sources: [String: String] = [:]
        for element in service.elements { sources[element.itemID] = element.seller?.rawValue ?? "internal" }
        let report = process.report(sources: sources)
        reputationRecords.append(
            ReputationRecord(
                buyer: process.buyer, serviceID: report.serviceID, reportID: report.reportID,
                score: report.recordScore))
        // A buyer's own schedule does not lengthen the service's instance in intervals (the reputation's n).
        if report.scheduled && process.jobID == nil { scheduledReportCounts[key.serviceID, default: 0] += 1 }
        return [.message(.scoToSBUS(.report(buyer: process.buyer, report)))] + reputationDue(now: now)
    }

    /// A seller's report as the part of one element: the seller's chain aggregate.
    private func part(_ report: PerformanceReport, itemID: String, seller: PartyID) -> ElementPerformance {
        ElementPerformance(
            itemID: itemID, source: seller.rawValue, measured: report.missing.isEmpty ? report.measured : nil,
            objectives: report.objectives, usageMB: report.usageMB)
    }

    /// This provider's SLA reputation over the reports it delivered (PDL-111..PDL-113): the score in thousandths
    /// and the records it rests on. n is the longest service instance to date in whole reporting intervals: the
    /// most intervals any one service has been reported on (counted, so that the clock's milliseconds between
    /// activation and the interval ends cannot move it).
    public func reputation() -> (score: Int64, count: Int)? {
        Reputation.weightedMovingAverage(reputationRecords.map(\.score), n: reputationWindow)
    }

    /// n of the WMA.
    var reputationWindow: Int { scheduledReportCounts.values.max() ?? reputationRecords.count }

    /// A timer of this SCO about a service.
    func serviceTimer(_ service: ServiceRecord, _ timer: SCOTimer) -> TimerKey {
        TimerKey(buyer: service.buyer, requestID: service.orderID, purpose: .sco(timer))
    }
}

/// A report being put together, by the service and the report's id.
struct ReportKey: Hashable, Sendable {
    let serviceID: String
    let reportID: String
}
