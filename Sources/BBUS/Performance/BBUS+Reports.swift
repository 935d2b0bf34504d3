import Ledger
import SupplyChain

/// The buy side of performance reporting: requests to the seller of every externally sourced element, recorded on
/// that seller's ledger (PDL-091), and the sellers' reports passed to the SCO (PDL-092: the seller's report entry
/// is on the same downstream ledger, countersigned by this provider).
extension BBUS {
    func requestReport(_ service: SellerService, _ request: ReportRequest) -> [Effect] {
        [
            .record(
                LedgerRecord(
                    counterparty: service.seller, kind: .reportRequested, refs: request.refs,
                    body: request.ledgerBody)),
            .send(to: service.seller, .performance(.request(request))),
        ]
    }

    /// A seller's report on a service it delivers to this provider; its score counts towards the seller's
    /// reputation as this provider sees it.
    /// A report stating impossible values (availability above 100 %, a negative delay…) is not taken.
    public mutating func receive(_ report: PerformanceReport, from seller: PartyID) -> [RoleStep] {
        guard report.isPlausible else { return [] }
        sellerRecords[seller, default: []].append(report.recordScore)
        sellerReportCounts[SellerService(seller: seller, serviceID: report.serviceID), default: 0] += 1
        notePurchaseBreach(report, from: seller)
        notePurchaseUsage(report, from: seller)
        return [.message(.bbusToSCO(.sellerReport(seller: seller, report)))]
    }

    /// A seller's SLA reputation as this provider computes it from the reports it received (PDL-112, PDL-113):
    /// the score in thousandths and the number of records, nil before its first report. n is the longest service
    /// instance bought from the seller so far, in reporting intervals (the reports received on it).
    public func reputation(of seller: PartyID) -> (score: Int64, count: Int)? {
        guard let records = sellerRecords[seller] else { return nil }
        let n = sellerReportCounts.filter { $0.key.seller == seller }.values.max() ?? records.count
        return Reputation.weightedMovingAverage(records, n: n)
    }
}
