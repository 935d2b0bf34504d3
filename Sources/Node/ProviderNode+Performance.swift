import CanonicalJSON
import Foundation
import Ledger
import Sonata
import SupplyChain

/// Performance monitoring on a live node (MEF Interlude Performance Monitoring v2): the seller side keeps one
/// resource per buyer's performance job and per report, built from the inputs handed to the core and the reports
/// the S-BUS sends (so a restart rebuilds them from the journal), and notifies the buyer's performance hubs. Node
/// buyers keep exchanging requests and reports in the supply envelope.
extension ProviderNode {
    /// One buyer's performance job: a schedule of its own for reports on one of its services.
    public struct PerformanceJobResource: Sendable {
        public let buyer: PartyID
        public let schedule: ReportSchedule
        public let createdAt: Instant
        public var cancelledAt: Instant?

        public var id: String { schedule.jobID }
    }

    /// One report for a buyer: asked for on demand, or made on one of its jobs' intervals.
    public struct PerformanceReportResource: Sendable {
        public let id: String
        public let buyer: PartyID
        public let serviceID: String
        public let jobID: String?
        public let from: Instant
        public let to: Instant
        public let createdAt: Instant
        /// The core's report, once the S-BUS delivered it.
        public var report: PerformanceReport?
        public var completedAt: Instant?
    }

    /// Why a performance request is not handed to the core: nothing is recorded.
    public enum PerformanceRefusal: Error, Sendable, Equatable {
        case unknownService(String)
        case othersService(String)
        case notInOperation(String)
        case notTaken
    }

    /// How long a report on a buyer's job or request may take to come together (sellers' parts included).
    public static let performanceReportAllowance = TimeSpan.minutes(5)

    /// Checks that `serviceID` is one of `buyer`'s services in operation here.
    public func checkPerformanceService(_ serviceID: String, buyer: PartyID) -> PerformanceRefusal? {
        guard let service = core.view.service(serviceID) else { return .unknownService(serviceID) }
        guard service.buyer == buyer else { return .othersService(serviceID) }
        guard service.state == .active else { return .notInOperation(serviceID) }
        return nil
    }

    /// A new id for a buyer's job or report: unique, since every input handled raises `inputCount`, also in a
    /// replay.
    private func newPerformanceID(_ kind: String) -> String { "\(party.rawValue)-\(kind)-\(inputCount + 1)" }

    /// A buyer's new performance job: checked against the inventory, journaled as sent, handed to the core; returns
    /// the resource it became, and tells the buyer's hubs (`performanceJobCreateEvent`). The job gets its id here.
    public func createPerformanceJob(
        _ asked: ReportSchedule, request: JSONValue, from buyer: PartyID
    ) -> Result<PerformanceJobResource, PerformanceRefusal> {
        let schedule = ReportSchedule(
            jobID: newPerformanceID("pj"), serviceID: asked.serviceID, start: asked.start, every: asked.every,
            end: asked.end, within: asked.within)
        if let refusal = checkPerformanceService(schedule.serviceID, buyer: buyer) { return .failure(refusal) }
        journal(.performanceJobRequested(id: schedule.jobID, request))
        performanceJobRequests[schedule.jobID] = request
        guard handle(.message(from: buyer, .performance(.schedule(schedule))), trace: nil),
            let job = performanceJobs[schedule.jobID],
            core.view.reportJob(serviceID: schedule.serviceID, jobID: schedule.jobID) != nil
        else { return .failure(.notTaken) }
        notifyPerformanceHubs(
            of: buyer, eventType: "performanceJobCreateEvent",
            event: [
                "id": .string(job.id), "href": .string(performanceJobHref(job.id)),
                "state": .string(performanceJobState(job).notificationName),
            ])
        return .success(job)
    }

    /// A buyer stops one of its jobs.
    public func cancelPerformanceJob(id: String, buyer: PartyID) -> PerformanceJobResource? {
        guard let job = performanceJobs[id], job.buyer == buyer else { return nil }
        handle(
            .message(from: buyer, .performance(.cancelSchedule(serviceID: job.schedule.serviceID, jobID: id))),
            trace: nil)
        guard let cancelled = performanceJobs[id] else { return nil }
        notifyPerformanceHubs(
            of: buyer, eventType: "performanceJobStateChangeEvent",
            event: ["id": .string(id), "href": .string(performanceJobHref(id)), "state": "cancelled"])
        return cancelled
    }

    /// A plain buyer's on-demand report request: checked, handed to the core; returns the report's resource (already
    /// completed when every element is this provider's own), and tells the hubs (`performanceReportCreateEvent`).
    /// The report gets its id here.
    public func requestPerformanceReport(
        _ asked: ReportRequest, from buyer: PartyID
    ) -> Result<PerformanceReportResource, PerformanceRefusal> {
        let request = ReportRequest(
            reportID: newPerformanceID("pr"), serviceID: asked.serviceID, from: asked.from, to: asked.to,
            respondBy: asked.respondBy)
        if let refusal = checkPerformanceService(request.serviceID, buyer: buyer) { return .failure(refusal) }
        guard handle(.message(from: buyer, .performance(.request(request))), trace: nil),
            let resource = performanceReports[request.reportID]
        else { return .failure(.notTaken) }
        notifyPerformanceHubs(
            of: buyer, eventType: "performanceReportCreateEvent",
            event: ["id": .string(resource.id), "href": .string(performanceReportHref(resource.id))])
        return .success(resource)
    }

    /// A node buyer's on-demand report request (in the supply envelope), journaled and handed to the core.
    public func requestReport(_ request: ReportRequest, from buyer: PartyID, replyTo: String?) {
        handle(.message(from: buyer, .performance(.request(request))), trace: nil, replyTo: replyTo)
    }

    /// The job with this id, if any.
    public func performanceJob(id: String) -> PerformanceJobResource? { performanceJobs[id] }

    /// The jobs of `buyer`, oldest first.
    public func performanceJobs(of buyer: PartyID) -> [PerformanceJobResource] {
        performanceJobOrder.compactMap { id in performanceJobs[id].flatMap { $0.buyer == buyer ? $0 : nil } }
    }

    /// The job's create request as the buyer sent it.
    public func performanceJobRequest(id: String) -> JSONValue? { performanceJobRequests[id] }

    /// The report with this id, if any.
    public func performanceReport(id: String) -> PerformanceReportResource? { performanceReports[id] }

    /// The reports of `buyer`, oldest first.
    public func performanceReports(of buyer: PartyID) -> [PerformanceReportResource] {
        performanceReportOrder.compactMap { id in performanceReports[id].flatMap { $0.buyer == buyer ? $0 : nil } }
    }

    /// A job's state now: cancelled by the buyer, scheduled before its start, completed after its end (or once its
    /// service is no longer in operation: the SCO reports on it no more), else in progress; rejected if the SCO did
    /// not take it.
    public func performanceJobState(_ job: PerformanceJobResource) -> PerformanceJobState {
        if job.cancelledAt != nil { return .cancelled }
        guard core.view.reportJob(serviceID: job.schedule.serviceID, jobID: job.id) != nil else { return .rejected }
        if core.view.service(job.schedule.serviceID)?.state != .active { return .completed }
        let now = clock.now()
        if now < job.schedule.start { return .scheduled }
        if let end = job.schedule.end, now >= end { return .completed }
        return .inProgress
    }

    /// The schedule's terms as the SCO runs them (the interval shortened to the product term, PDL-114).
    public func performanceJobTerms(_ job: PerformanceJobResource) -> ReportingTerms {
        core.view.reportJob(serviceID: job.schedule.serviceID, jobID: job.id)?.terms ?? job.schedule.terms
    }

    /// Registers a buyer's listener for its performance notifications (Interlude `POST /hub`). Kept across restarts
    /// (journaled).
    public func registerPerformanceHub(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription {
        let subscription = EventSubscription(
            id: "\(party.rawValue)-performance-hub-\(performanceHubCount + 1)", callback: input.callback,
            query: input.query)
        journal(.performanceHubRegistered(buyer: buyer, subscription))
        addPerformanceHub(subscription, buyer: buyer)
        return subscription
    }

    func addPerformanceHub(_ subscription: EventSubscription, buyer: PartyID) {
        performanceHubCount += 1
        performanceHubs[buyer, default: []].append(subscription)
    }

    /// Removes a buyer's performance listener; false when the buyer has no such listener.
    public func deletePerformanceHub(id: String, buyer: PartyID) -> Bool {
        guard performanceHubs[buyer]?.contains(where: { $0.id == id }) == true else { return false }
        journal(.performanceHubDeleted(id))
        removePerformanceHub(id)
        return true
    }

    func removePerformanceHub(_ id: String) {
        for buyer in performanceHubs.keys { performanceHubs[buyer]?.removeAll { $0.id == id } }
    }

    /// The buyer's listeners for performance notifications.
    public func performanceHubs(of buyer: PartyID) -> [EventSubscription] { performanceHubs[buyer] ?? [] }

    /// What the node keeps of a buyer's performance input (live and replayed): a job, its cancellation, a report
    /// request.
    func notePerformance(_ message: PerformanceMessage, from buyer: PartyID, at: Instant) {
        switch message {
        case .schedule(let schedule):
            guard performanceJobs[schedule.jobID] == nil else { return }
            performanceJobs[schedule.jobID] = PerformanceJobResource(
                buyer: buyer, schedule: schedule, createdAt: at, cancelledAt: nil)
            performanceJobOrder.append(schedule.jobID)
        case .cancelSchedule(_, let jobID):
            guard performanceJobs[jobID]?.buyer == buyer, performanceJobs[jobID]?.cancelledAt == nil else { return }
            performanceJobs[jobID]?.cancelledAt = at
        case .request(let request):
            openReportResource(
                id: request.reportID, buyer: buyer, serviceID: request.serviceID, jobID: nil, from: request.from,
                to: request.to, at: at)
        case .report:
            return
        }
    }

    private func openReportResource(
        id: String, buyer: PartyID, serviceID: String, jobID: String?, from: Instant, to: Instant, at: Instant
    ) {
        guard performanceReports[id] == nil else { return }
        performanceReports[id] = PerformanceReportResource(
            id: id, buyer: buyer, serviceID: serviceID, jobID: jobID, from: from, to: to, createdAt: at)
        performanceReportOrder.append(id)
    }

    /// Carries a report request to a seller, or a report to its buyer: the report's resource is completed (also when
    /// replaying the journal), the buyer's hubs hear of it, and a node buyer's listener gets it in the envelope.
    func transmitPerformance(_ message: PerformanceMessage, to: PartyID, replaying: Bool) {
        switch message {
        case .request(let request):
            guard !replaying else { return }
            post(
                SupplyEnvelope(message: .performance(message)), to: to, path: NodeRoutes.performanceReportPath,
                until: request.respondBy, what: "report request \(request.reportID)")
        case .schedule, .cancelSchedule:
            // A buyer's own schedules come from plain Interlude clients; the B-BUS never sends one.
            return
        case .report(let report):
            completeReportResource(report, buyer: to)
            guard !replaying else { return }
            if let jobID = report.jobID {
                notifyPerformanceHubs(
                    of: to, eventType: "performanceJobReportReadyEvent",
                    event: [
                        "id": .string(jobID), "href": .string(performanceJobHref(jobID)),
                        "reportId": .string(report.reportID),
                        "reportHref": .string(performanceReportHref(report.reportID)),
                    ])
            } else if performanceReports[report.reportID]?.buyer == to {
                notifyPerformanceHubs(
                    of: to, eventType: "performanceReportStateChangeEvent",
                    event: [
                        "id": .string(report.reportID), "href": .string(performanceReportHref(report.reportID)),
                    ])
            }
            guard let url = replyTo[to] else { return }
            deliver(
                SupplyEnvelope(message: .performance(message)), to: to, base: url,
                path: NodeRoutes.performanceListenerBase + "/performanceReportReadyEvent")
        }
    }

    /// The delivered report on its resource (a job's report gets its resource here).
    private func completeReportResource(_ report: PerformanceReport, buyer: PartyID) {
        if let jobID = report.jobID {
            openReportResource(
                id: report.reportID, buyer: buyer, serviceID: report.serviceID, jobID: jobID, from: report.from,
                to: report.to, at: inputTime)
        }
        guard var resource = performanceReports[report.reportID], resource.buyer == buyer else { return }
        resource.report = report
        resource.completedAt = inputTime
        performanceReports[report.reportID] = resource
    }

    /// Sends an Interlude notification to the buyer's performance hubs whose query asks for `eventType`.
    private func notifyPerformanceHubs(of buyer: PartyID, eventType: String, event: JSONValue) {
        let hubs = (performanceHubs[buyer] ?? []).filter { hub in
            let wanted = EventSubscriptionInput(callback: hub.callback, query: hub.query).eventTypeNames
            return wanted.isEmpty || wanted.contains(eventType)
        }
        guard !hubs.isEmpty else { return }
        let id = event["id"]?.stringValue ?? ""
        let body: JSONValue = [
            "eventId": .string("\(id)-\(eventType)-\(inputCount)"),
            "eventTime": .string(MEFDateTime(clock.now().date).text), "eventType": .string(eventType),
            "event": event,
        ]
        for hub in hubs {
            deliver(
                body, contentType: "application/json", to: buyer, base: hub.callback, path: "/listener/" + eventType)
        }
    }

    func performanceJobHref(_ id: String) -> String {
        configuration.publicURL + NodeRoutes.performanceJobPath + "/" + id
    }

    func performanceReportHref(_ id: String) -> String {
        configuration.publicURL + NodeRoutes.performanceReportPath + "/" + id
    }
}

/// The states of a MEF Interlude performance job this node reports.
public enum PerformanceJobState: String, Sendable, CaseIterable {
    case scheduled, inProgress, completed, cancelled, rejected

    /// The spelling of the notification schema's `PerformanceJobEventPayload.state`.
    public var notificationName: String { self == .inProgress ? "in-progress" : rawValue }
}
