import CanonicalJSON
import Ledger
import SupplyChain

/// The sell side of performance reporting: a buyer's request is taken on the upstream ledger and handed to the SCO
/// (PDL-088); each report the SCO puts together is recorded on the upstream ledger and sent (PDL-096).
extension SBUS {
    /// A buyer's request for a report on one of its services.
    public func receive(_ request: ReportRequest, from buyer: PartyID) -> [RoleStep] {
        [
            .effect(
                .record(
                    LedgerRecord(
                        counterparty: buyer, kind: .reportReceipt, refs: request.refs, body: request.ledgerBody))),
            .message(.sbusToSCO(.reportRequested(buyer: buyer, request))),
        ]
    }

    /// A buyer's schedule of its own for reports on one of its services (a performance job): handed to the SCO,
    /// which reports at each of its intervals; taken on the upstream ledger like a request (PDL-088) once the SCO
    /// runs it, so a schedule on no service of this buyer's is recorded nowhere.
    public func receive(_ schedule: ReportSchedule, from buyer: PartyID) -> [RoleStep] {
        [.message(.sbusToSCO(.reportScheduled(buyer: buyer, schedule)))]
    }

    /// A buyer stops one of its schedules: the SCO reports on it no more, and the S-BUS records that.
    public func cancelSchedule(serviceID: String, jobID: String, from buyer: PartyID) -> [RoleStep] {
        [.message(.sbusToSCO(.reportScheduleCancelled(buyer: buyer, serviceID: serviceID, jobID: jobID)))]
    }

    func scheduleTaken(_ schedule: ReportSchedule, buyer: PartyID) -> Effect {
        .record(LedgerRecord(counterparty: buyer, kind: .reportReceipt, refs: schedule.refs, body: schedule.ledgerBody))
    }

    func scheduleCancelled(serviceID: String, jobID: String, buyer: PartyID) -> Effect {
        .record(
            LedgerRecord(
                counterparty: buyer, kind: .reportScheduleCancelled, refs: ["service": serviceID, "report": jobID],
                body: ["cancelled": .string(jobID)]))
    }

    func deliver(_ report: PerformanceReport, to buyer: PartyID) -> [Effect] {
        [
            .record(
                LedgerRecord(counterparty: buyer, kind: .reportDelivered, refs: report.refs, body: report.ledgerBody)),
            .send(to: buyer, .performance(.report(report))),
        ]
    }
}
