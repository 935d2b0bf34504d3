import Ledger
import SupplyChain

/// A buyer's own report schedule (a MEF Interlude performance job) as the SCO runs it.
public struct ReportJob: Sendable, Hashable {
    public let buyer: PartyID
    public let schedule: ReportSchedule
    /// The schedule's terms as run: the interval shortened to the product term (PDL-114), never below a minute.
    public let terms: ReportingTerms
    /// The interval ends reported on so far.
    public internal(set) var reported: Int = 0
    /// Whether the buyer stopped it.
    public internal(set) var cancelled = false
}

/// A buyer's schedule, by service and job id.
public struct ReportJobKey: Hashable, Sendable {
    public let serviceID: String
    public let jobID: String

    public init(serviceID: String, jobID: String) {
        self.serviceID = serviceID
        self.jobID = jobID
    }
}

/// Reports on a buyer's own schedule (PDL-086 at the buyer's intervals): at the end of each interval from the
/// schedule's start until its end, the SCO puts a report together as it does on demand — the SOF measures every
/// internal element (PDL-089), the B-BUS asks the seller of every external one (PDL-090) — and aggregates it for
/// the S-BUS (PDL-094, PDL-095).
extension SCO {
    /// A buyer's new schedule on one of its services in operation, for the S-BUS to record; a schedule that cannot
    /// be run (another buyer's service, an interval under a minute, an end not after its start) is not taken, and
    /// nothing is recorded.
    mutating func reportScheduled(_ schedule: ReportSchedule, buyer: PartyID, now: Instant) -> [RoleStep] {
        let key = ReportJobKey(serviceID: schedule.serviceID, jobID: schedule.jobID)
        guard reportJobs[key] == nil, let service = inventory[schedule.serviceID], service.buyer == buyer,
            service.state == .active, schedule.every >= ReportingTerms.shortestInterval,
            schedule.end.map({ schedule.start < $0 }) ?? true
        else { return [] }
        let terms = schedule.terms.within(term: service.terms.last)
        reportJobs[key] = ReportJob(buyer: buyer, schedule: schedule, terms: terms)
        return [
            .message(.scoToSBUS(.scheduleTaken(buyer: buyer, schedule))),
            .effect(
                .setTimer(
                    serviceTimer(service, .jobInterval(serviceID: schedule.serviceID, jobID: schedule.jobID)),
                    at: terms.nextBoundary(after: now))),
        ]
    }

    /// The buyer stops its schedule: no report after this; the S-BUS records it.
    mutating func reportScheduleCancelled(serviceID: String, jobID: String, buyer: PartyID) -> [RoleStep] {
        let key = ReportJobKey(serviceID: serviceID, jobID: jobID)
        guard reportJobs[key]?.buyer == buyer, reportJobs[key]?.cancelled == false else { return [] }
        reportJobs[key]?.cancelled = true
        return [.message(.scoToSBUS(.scheduleCancelled(buyer: buyer, serviceID: serviceID, jobID: jobID)))]
    }

    /// An interval of a buyer's schedule ended: its report, and the next interval's timer while the schedule
    /// runs.
    mutating func jobInterval(serviceID: String, jobID: String, now: Instant) -> [RoleStep] {
        let key = ReportJobKey(serviceID: serviceID, jobID: jobID)
        guard var job = reportJobs[key], !job.cancelled, let service = inventory[serviceID],
            service.state == .active, job.schedule.end.map({ now <= $0 }) ?? true
        else { return [] }
        let from = now - job.terms.every
        job.reported += 1
        reportJobs[key] = job
        var steps = startReport(
            service, reportID: job.schedule.reportID(from: from), from: from, to: now, scheduled: true,
            jobID: jobID, deadline: now + max(.zero, job.terms.within - processing), now: now)
        let next = now + job.terms.every
        if job.schedule.end.map({ next <= $0 }) ?? true {
            steps.append(
                effect: .setTimer(serviceTimer(service, .jobInterval(serviceID: serviceID, jobID: jobID)), at: next))
        }
        return steps
    }
}
