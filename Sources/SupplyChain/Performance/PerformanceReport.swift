import CanonicalJSON
import Ledger

/// How a service is reported on, agreed with the order (PDL-086): every `every` from `anchor` (the same boundaries
/// at every hop, after-delivery.md decision 16), each report due `within` after its interval ends.
public struct ReportingTerms: Codable, Sendable, Hashable {
    public let anchor: Instant
    public let every: TimeSpan
    public let within: TimeSpan

    public init(anchor: Instant, every: TimeSpan, within: TimeSpan) {
        self.anchor = anchor
        self.every = every
        self.within = within
    }

    /// The first interval end after `instant`.
    public func nextBoundary(after instant: Instant) -> Instant {
        guard every > .zero else { return .distantFuture }
        let elapsed = max(0, (instant - anchor).milliseconds)
        let (offset, overflow) = (elapsed / every.milliseconds + 1).multipliedReportingOverflow(by: every.milliseconds)
        return overflow ? .distantFuture : anchor + TimeSpan(milliseconds: offset)
    }

    /// The shortest interval a node reports at: a buyer's order cannot make it report every millisecond.
    public static let shortestInterval = TimeSpan.minutes(1)

    /// PDL-114: performance is calculated at an interval no longer than the service's duration — the product term,
    /// when the order has one; a longer agreed interval is shortened to the term.
    /// And never more often than `shortestInterval`.
    public func within(term: ProductTerm?) -> ReportingTerms {
        var interval = every
        if let term, term.length > .zero, interval > term.length { interval = term.length }
        interval = max(interval, Self.shortestInterval)
        return ReportingTerms(anchor: anchor, every: interval, within: max(.zero, within))
    }

    /// The terms a seller gets: the same schedule, due `processing` earlier.
    public func forSeller(processing: TimeSpan) -> ReportingTerms {
        ReportingTerms(anchor: anchor, every: every, within: max(.zero, within - processing))
    }
}

/// One element's part of a report: measured by the SOF or reported by its seller, or missing.
public struct ElementPerformance: Codable, Sendable, Hashable {
    public let itemID: String
    /// `internal`, or the seller's id.
    public let source: String
    public let measured: PerformanceMetrics?
    public let objectives: SLAObjectives?
    /// The traffic the element carried over the interval, in megabytes, where it is metered (usage-based charging);
    /// absent when it is not.
    public let usageMB: Int64?

    public init(
        itemID: String, source: String, measured: PerformanceMetrics?, objectives: SLAObjectives?,
        usageMB: Int64? = nil
    ) {
        self.itemID = itemID
        self.source = source
        self.measured = measured
        self.objectives = objectives
        self.usageMB = usageMB
    }

    /// The most traffic a report may state for one element: an exabyte, in megabytes.
    public static let largestUsageMB: Int64 = 1_000_000_000_000
}

/// A performance report on one service over one interval (ETSI PDL §40), covering the whole chain below the
/// provider that sends it.
public struct PerformanceReport: Codable, Sendable, Hashable {
    /// The seller's service id (PDL-085).
    public let serviceID: String
    /// The buyer's request id for an on-demand report; for a scheduled one, the interval's id.
    public let reportID: String
    public let from: Instant
    public let to: Instant
    public let scheduled: Bool
    /// The buyer's schedule (performance job) it was made for; nil for an on-demand report or one on the
    /// schedule agreed with the order.
    public let jobID: String?
    /// The chain's performance, elements in series; nil when no element reported.
    public let measured: PerformanceMetrics?
    /// The chain's SLA objectives, aggregated the same way.
    public let objectives: SLAObjectives?
    /// Per metric (`availability`, `delay`, `frameLoss`, `delayVariation`): met, breached, or unknown when an
    /// element is missing.
    public let compliance: [String: Compliance]
    /// Elements whose seller did not report in time (never assumed compliant).
    public let missing: [String]
    public let elements: [ElementPerformance]

    public init(
        serviceID: String, reportID: String, from: Instant, to: Instant, scheduled: Bool, jobID: String? = nil,
        elements: [ElementPerformance]
    ) {
        self.jobID = jobID
        self.serviceID = serviceID
        self.reportID = reportID
        self.from = from
        self.to = to
        self.scheduled = scheduled
        self.elements = elements
        missing = elements.filter { $0.measured == nil }.map(\.itemID)
        let measuredParts = elements.compactMap(\.measured)
        let objectiveParts = elements.compactMap(\.objectives)
        measured = PerformanceMetrics.serial(measuredParts)
        objectives = objectiveParts.count == elements.count ? PerformanceMetrics.serial(objectiveParts) : nil
        var compliance: [String: Compliance] = [:]
        for metric in SLAMetric.allCases {
            if let measured, let objectives, missing.isEmpty {
                compliance[metric.rawValue] =
                    metric.meets(metric.value(in: measured), metric.value(in: objectives)) ? .met : .breached
            } else {
                compliance[metric.rawValue] = .unknown
            }
        }
        self.compliance = compliance
    }

    /// Whether every value it states could be a measurement (see `PerformanceMetrics.isPlausible`; traffic within
    /// 0…an exabyte per element).
    public var isPlausible: Bool {
        ([measured, objectives] + elements.flatMap { [$0.measured, $0.objectives] }).allSatisfy {
            $0?.isPlausible ?? true
        }
            && elements.allSatisfy { ($0.usageMB ?? 0) >= 0 && ($0.usageMB ?? 0) <= ElementPerformance.largestUsageMB }
    }

    /// The traffic the service carried over the interval, in megabytes: the sum over its metered elements (each
    /// hand-off meters what it carries); nil when no element is metered.
    public var usageMB: Int64? {
        let parts = elements.compactMap(\.usageMB)
        return parts.isEmpty ? nil : parts.reduce(Int64(0)) { .saturating($0, plus: $1) }
    }

    /// Whether the report counts for usage-based charging: one on the schedule agreed with the order (a buyer's
    /// own extra schedule reports the same traffic again), with metered traffic.
    public var billsUsage: Bool { scheduled && jobID == nil && usageMB != nil }

    /// Whether every objective was met.
    public var allMet: Bool { compliance.values.allSatisfy { $0 == .met } }

    /// The metrics measured and breached (a missing element breaches nothing: it is unknown, never assumed either
    /// way).
    public var breached: [String] { compliance.filter { $0.value == .breached }.map(\.key).sorted() }

    /// Whether the report earns a breach credit: a scheduled report that breached an objective — unless the only
    /// breach is availability and an outage, credited by the hour, began in its interval (credited once, not twice).
    public func earnsBreachCredit(outagesFrom starts: [Instant]) -> Bool {
        let breached = breached
        guard scheduled, !breached.isEmpty else { return false }
        if breached == [SLAMetric.availability.rawValue], starts.contains(where: { $0 >= from && $0 < to }) {
            return false
        }
        return true
    }

    /// The record's reputation score C(t), in thousandths (missing elements count as failures).
    public var recordScore: Int64 {
        guard missing.isEmpty, let objectives else { return 0 }
        return Reputation.recordScore(actual: measured, objectives: objectives)
    }

    /// The refs of the entry recording it.
    public var refs: [String: String] { ["service": serviceID, "report": reportID] }

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}

/// A buyer's request for a report on one of its services over an interval (PDL-087, PDL-088).
public struct ReportRequest: Codable, Sendable, Hashable {
    public let reportID: String
    /// The seller's service id (PDL-085).
    public let serviceID: String
    public let from: Instant
    public let to: Instant
    /// The report is due by then.
    public let respondBy: Instant

    public init(reportID: String, serviceID: String, from: Instant, to: Instant, respondBy: Instant) {
        self.reportID = reportID
        self.serviceID = serviceID
        self.from = from
        self.to = to
        self.respondBy = respondBy
    }

    public var refs: [String: String] { ["service": serviceID, "report": reportID] }

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}

/// Performance reporting between a buyer and its seller.
public enum PerformanceMessage: Codable, Sendable, Hashable {
    /// The buyer asks for a report (on demand).
    case request(ReportRequest)
    /// The seller's report, scheduled or asked for.
    case report(PerformanceReport)
    /// The buyer asks for a report at every interval of a schedule of its own (a performance job, PDL-086).
    case schedule(ReportSchedule)
    /// The buyer stops one of its schedules.
    case cancelSchedule(serviceID: String, jobID: String)
}
