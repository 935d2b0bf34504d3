import Ledger
import SupplyChain

/// A performance report being put together for one service and interval: each element's part, until all are in or
/// the deadline passes.
struct ReportProcess: Sendable {
    let serviceID: String
    let buyer: PartyID
    let reportID: String
    let from: Instant
    let to: Instant
    let scheduled: Bool
    /// The buyer's schedule it is made for, if any.
    var jobID: String? = nil
    /// The elements in chaining order, and each one's part once in.
    let order: [String]
    var parts: [String: ElementPerformance] = [:]
    /// The element each seller's report fills: by the seller's service.
    var awaiting: [SellerService: String]

    var isComplete: Bool { awaiting.isEmpty }

    /// The report: every element in chaining order, the ones not in marked missing.
    func report(sources: [String: String]) -> PerformanceReport {
        PerformanceReport(
            serviceID: serviceID, reportID: reportID, from: from, to: to, scheduled: scheduled, jobID: jobID,
            elements: order.map { itemID in
                parts[itemID]
                    ?? ElementPerformance(
                        itemID: itemID, source: sources[itemID] ?? "", measured: nil, objectives: nil)
            })
    }
}
