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

    func deliver(_ report: PerformanceReport, to buyer: PartyID) -> [Effect] {
        [
            .record(
                LedgerRecord(counterparty: buyer, kind: .reportDelivered, refs: report.refs, body: report.ledgerBody)),
            .send(to: buyer, .performance(.report(report))),
        ]
    }
}
