import CanonicalJSON
import Ledger

/// One record of a provider's SLA reputation: the score C(t) of one report it delivered, and where the report is
/// on the ledger with that buyer (the `report.delivered` entry with these refs).
public struct ReputationRecord: Codable, Sendable, Hashable {
    public let buyer: PartyID
    public let serviceID: String
    public let reportID: String
    /// C(t) in thousandths (0…9,900).
    public let score: Int64

    public init(buyer: PartyID, serviceID: String, reportID: String, score: Int64) {
        self.buyer = buyer
        self.serviceID = serviceID
        self.reportID = reportID
        self.score = score
    }

    private enum CodingKeys: String, CodingKey {
        case buyer, serviceID = "service", reportID = "report", score
    }
}

/// A provider's SLA reputation as it publishes it on its omni-lateral ledger (PDL-115): `x.y:n`, the WMA window
/// n, how many records it has to date, and the records the score rests on, oldest first, so that every neighbour
/// holding one of them can recompute it from its own ledger copy (after-delivery.md decision 4).
///
/// The body of a `reputation.published` entry; its refs are `["provider": <publisher>]`.
public struct ReputationPublication: Codable, Sendable, Hashable {
    /// `x.y:n` (PDL-115).
    public let reputation: String
    /// The WMA in thousandths.
    public let score: Int64
    /// n: the longest service instance to date in reporting intervals (after-delivery.md §4).
    public let window: Int
    /// Every record the provider has to date (the records listed are the newest `min(window, recordsToDate)`).
    public let recordsToDate: Int
    /// The records used, oldest first.
    public let records: [ReputationRecord]

    /// The publication of the newest `window` records of `history` (all of them when there are fewer, PDL-113).
    public init?(history: [ReputationRecord], window: Int) {
        let used = Array(history.suffix(max(1, window)))
        guard let wma = Reputation.weightedMovingAverage(used.map(\.score), n: used.count) else { return nil }
        reputation = Reputation.text(score: wma.score, count: wma.count)
        score = wma.score
        self.window = max(1, window)
        recordsToDate = history.count
        records = used
    }

    /// The kind of the omni-lateral ledger entry.
    public static let kind = "reputation.published"

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }

    /// The publication in an omni-lateral entry's body, or why it cannot be read as one.
    public static func decode(_ body: JSONValue) -> Result<ReputationPublication, ReputationRefusal> {
        do {
            return .success(try body.decode(ReputationPublication.self))
        } catch {
            return .failure(ReputationRefusal("the body is not a reputation publication (\(error))"))
        }
    }
}

/// Why a neighbour refuses to countersign a reputation publication: a sentence for the publisher and the auditor.
public struct ReputationRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension ReputationPublication {
    /// What a neighbour checks before it countersigns (after-delivery.md decision 4), from its own copy of its
    /// ledger with the publisher:
    /// 1. the arithmetic: the records listed are the newest `min(window, recordsToDate)`, their WMA is `score`,
    ///    and `reputation` is `x.y:n` of it (PDL-112, PDL-113, PDL-115);
    /// 2. every record listed with this neighbour as the buyer is a `report.delivered` entry the publisher wrote
    ///    on the neighbour's copy, and its C(t) recomputed from the report is the one listed (PDL-111);
    /// 3. nothing of the neighbour's was left out: its records listed are the last of the reports the publisher
    ///    delivered to it before the publication (a report recorded in the publication's millisecond or later may
    ///    wait for the next one), and when fewer records than the window are listed, all of them. A full window
    ///    that lists none of the neighbour's reports is left to the neighbours whose records it lists: this one
    ///    cannot date the others' records against its own.
    ///
    /// - Parameters:
    ///   - neighbour: the party reviewing.
    ///   - publisher: the provider whose reputation it is.
    ///   - time: the publication entry's time (milliseconds).
    ///   - copy: the neighbour's copy of its ledger with the publisher, in seq order.
    /// - Returns: nil when the neighbour can countersign, else why not.
    public func review(
        by neighbour: PartyID, publisher: PartyID, time: Int64, copy: [LedgerEntry]
    ) -> ReputationRefusal? {
        let expectedCount = min(max(1, window), recordsToDate)
        guard records.count == expectedCount else {
            return ReputationRefusal(
                "\(records.count) records listed; the window \(window) over \(recordsToDate) records to date needs "
                    + "\(expectedCount)")
        }
        // Checked before any arithmetic: a publisher's body could state any integer.
        guard records.allSatisfy({ (0...9_900).contains($0.score) }) else {
            return ReputationRefusal("a record's score is outside 0.0–9.9")
        }
        guard let wma = Reputation.weightedMovingAverage(records.map(\.score), n: records.count) else {
            return ReputationRefusal("no records listed")
        }
        guard wma.score == score else {
            return ReputationRefusal("the listed records give a WMA of \(wma.score), not \(score) (thousandths)")
        }
        let text = Reputation.text(score: wma.score, count: wma.count)
        guard text == reputation else { return ReputationRefusal("the listed records give \(text), not \(reputation)") }

        let delivered = copy.filter { $0.kind == LedgerKind.reportDelivered.rawValue && $0.author == publisher }
        let mine = records.filter { $0.buyer == neighbour }
        var positions: [Int] = []
        for record in mine {
            guard
                let index = delivered.firstIndex(where: {
                    $0.refs["service"] == record.serviceID && $0.refs["report"] == record.reportID
                })
            else {
                return ReputationRefusal(
                    "report \(record.reportID) on service \(record.serviceID) is not on my copy of our ledger")
            }
            guard let report = try? delivered[index].body.decode(PerformanceReport.self) else {
                return ReputationRefusal("report \(record.reportID) on my copy is not a performance report")
            }
            guard report.recordScore == record.score else {
                return ReputationRefusal(
                    "report \(record.reportID) scores \(report.recordScore) on my copy, not \(record.score)")
            }
            positions.append(index)
        }
        guard positions == positions.sorted(), Set(positions).count == positions.count else {
            return ReputationRefusal("my reports are not listed once each in the order they were delivered")
        }
        let before = delivered.indices.filter { delivered[$0].time < time }
        let required: [Int]
        if records.count < max(1, window) {
            required = before  // fewer than n records: every one counts (PDL-113)
        } else {
            required = before.filter { $0 >= (positions.first ?? Int.max) }
        }
        if let left = required.first(where: { !positions.contains($0) }) {
            return ReputationRefusal(
                "report \(delivered[left].refs["report"] ?? "?") delivered to me at \(delivered[left].time) is "
                    + "left out")
        }
        return nil
    }
}
