import CanonicalJSON
import Ledger

/// A buyer's standing request for reports on one of its services at a fixed interval (a MEF Interlude
/// performance job, PDL-086): one report for each interval `every` from `start`, until `end` if any, each due
/// `within` after its interval ends. The SCO shortens the interval to the product term (PDL-114).
public struct ReportSchedule: Codable, Sendable, Hashable {
    /// The buyer's handle on the schedule (the performance job's id).
    public let jobID: String
    /// The seller's service id (PDL-085).
    public let serviceID: String
    public let start: Instant
    public let every: TimeSpan
    public let end: Instant?
    public let within: TimeSpan

    public init(jobID: String, serviceID: String, start: Instant, every: TimeSpan, end: Instant?, within: TimeSpan) {
        self.jobID = jobID
        self.serviceID = serviceID
        self.start = start
        self.every = every
        self.end = end
        self.within = within
    }

    /// The schedule as agreed reporting terms: the same interval boundaries from `start`.
    public var terms: ReportingTerms { ReportingTerms(anchor: start, every: every, within: within) }

    /// The id of the report on the interval that begins at `from`.
    public func reportID(from: Instant) -> String { "\(jobID)-\(from.milliseconds)" }

    public var refs: [String: String] { ["service": serviceID, "report": jobID] }

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}
