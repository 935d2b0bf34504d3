import Ledger
import Sonata
import SupplyChain

/// Service Chain Orchestration with its SOF: decomposition, ranking and chaining of answers, fulfilment of orders
/// (reserve, activate, chain test, re-sourcing, abandonment), the inventory of services in operation, their terms
/// and their changes. Pure: it takes one message or timer at a time and returns steps.
public struct SCO: Sendable {
    public let configuration: SCOConfiguration
    public internal(set) var sof: SOF
    /// Requests being sourced: the SOF's answer for every element, until the sellers' answers are in.
    var qualifications: [RequestKey: Qualification] = [:]
    /// Orders being accepted or activated.
    var fulfilments: [OrderKey: Fulfilment] = [:]
    /// Changes to services being quoted and carried out, by the buyer's change order.
    var changes: [OrderKey: ChangeProcess] = [:]
    /// Services in operation (MEF inventory), by service id.
    public internal(set) var inventory: [String: ServiceRecord] = [:]
    /// Where each service bought from a seller is used, by the seller's service id.
    var sellerServices: [SellerService: ElementOfService] = [:]
    /// Faults this provider knows of, by service id (its monitoring's register).
    var faults: [String: FaultReport] = [:]
    /// Faults being dealt with, by service id.
    var faultProcesses: [String: FaultProcess] = [:]
    /// Performance reports being put together.
    var reports: [ReportKey: ReportProcess] = [:]
    /// Sellers' scheduled reports that came before this provider's own interval ended, by the seller's service.
    var earlyReports: [ReportKey: PerformanceReport] = [:]
    /// Each report this provider delivered with its score C(t), oldest first (its SLA reputation's records).
    var reputationRecords: [ReputationRecord] = []
    /// When the reputation may next be published, and how many records the last publication had seen.
    var reputationPublishing = ReputationPublishing()
    /// Scheduled reports delivered per service: the service's instance so far in reporting intervals.
    var scheduledReportCounts: [String: Int] = [:]
    /// Buyers' own report schedules (performance jobs), by service and job id.
    public internal(set) var reportJobs: [ReportJobKey: ReportJob] = [:]

    public init(configuration: SCOConfiguration, sof: SOF) {
        self.configuration = configuration
        self.sof = sof
    }

    var ranking: RankingPolicy { configuration.ranking }
    var processing: TimeSpan { configuration.processingTime }

    /// One element per POQ item (PDL-008 asks the SOF about each of them).
    public func decompose(_ poq: ProductOfferingQualificationCreate) -> [ServiceElement] {
        poq.productOfferingQualificationItem.map(ServiceElement.init(item:))
    }

    /// Whether an element should also be asked of sellers: the SOF said NO, or can only deliver with a build
    /// (a seller that is on-net may be faster or cheaper).
    public func needsExternalSourcing(_ answer: SOFAnswer) -> Bool {
        !answer.deliverable || answer.offer.confidence != .green
    }

    /// Chooses the element's source among the SOF's answer and the sellers' (PDL-013), by the ranking policy.
    ///
    /// - Returns: the winning candidate, or the reasons and the pooled lower-bandwidth alternates of the red
    ///   answers when nothing is deliverable.
    public func chain(internal sofAnswer: SOFAnswer, external: [Candidate]) -> ChainDecision {
        var candidates = external
        if sofAnswer.deliverable { candidates.append(Candidate(source: .internal, offer: sofAnswer.offer)) }
        let ranked = ranking.rank(candidates)
        if let best = ranked.first, best.offer.isDeliverable {
            return .sourced(best, rejected: Array(ranked.dropFirst()))
        }
        var alternates = sofAnswer.offer.alternates.map { SourcedAlternate(source: .internal, offer: $0) }
        for candidate in external {
            alternates += candidate.offer.alternates.map { SourcedAlternate(source: candidate.source, offer: $0) }
        }
        let reasons =
            ([sofAnswer.offer.confidenceReason] + external.map { "\($0.source): \($0.offer.confidenceReason)" })
        return .unsourced(reason: reasons.joined(separator: "; "), alternates: alternates)
    }

    /// Handles what the S-BUS hands over.
    public mutating func handle(_ message: SBUSToSCO, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        switch message {
        case .qualify(let request): qualify(request, now: now)
        case .fulfil(let placement): fulfil(placement, now: now, ids: &ids)
        case .change(let order): change(order, now: now)
        case .renew(let order): renew(order, now: now)
        case .disconnect(let order): disconnect(order, now: now)
        case .buyerNotice(let key, let event): buyerNotice(key, event, now: now)
        case .ticketOpened(let opening): ticketOpened(opening, now: now, ids: &ids)
        case .terminationRequested(let buyer, let serviceID, let reason):
            terminationRequested(buyer: buyer, serviceID: serviceID, reason: reason, now: now)
        case .reportRequested(let buyer, let request): reportRequested(request, buyer: buyer, now: now)
        case .reportScheduled(let buyer, let schedule): reportScheduled(schedule, buyer: buyer, now: now)
        case .reportScheduleCancelled(let buyer, let serviceID, let jobID):
            reportScheduleCancelled(serviceID: serviceID, jobID: jobID, buyer: buyer)
        }
    }

    /// Handles what the B-BUS reports.
    public mutating func handle(_ message: BBUSToSCO, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        switch message {
        case .answered(let key, let candidates): chainAnswers(key, candidates: candidates)
        case .unableToMeetTime(let key, let itemIDs): abandonQualification(key, unableToMeetTime: itemIDs)
        case .sellerNotice(let notice): sellerNotice(notice, now: now, ids: &ids)
        case .sellerTicketNotice(let seller, let notice): sellerTicketNotice(notice, from: seller, now: now, ids: &ids)
        case .sellerReport(let seller, let report): sellerReport(report, from: seller, now: now)
        }
    }

    /// One of the SCO's timers fired.
    public mutating func fire(_ timer: SCOTimer, key: OrderKey, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        switch timer {
        case .acceptanceWindow: acceptanceWindowEnded(key, now: now)
        case .activationWindow: activationWindowEnded(key, now: now)
        case .elementActivation(let itemID): elementActivated(key, itemID: itemID, now: now, ids: &ids)
        case .changeDone: ownPartOfChangeDone(key, now: now)
        case .endOfTerm(let serviceID): endOfTerm(serviceID: serviceID, now: now)
        case .disconnection(let serviceID): disconnectionDate(serviceID: serviceID, now: now)
        case .repairDone(let serviceID): repairDone(serviceID: serviceID, now: now)
        case .reportInterval(let serviceID): reportInterval(serviceID: serviceID, now: now)
        case .reportDeadline(let serviceID, let reportID):
            reportDeadline(serviceID: serviceID, reportID: reportID, now: now)
        case .publishReputation: publishReputation(now: now)
        case .jobInterval(let serviceID, let jobID): jobInterval(serviceID: serviceID, jobID: jobID, now: now)
        }
    }

    /// A timer of this SCO for `key`.
    func timer(_ key: OrderKey, _ timer: SCOTimer) -> TimerKey {
        TimerKey(buyer: key.buyer, requestID: key.orderID, purpose: .sco(timer))
    }

    /// An order event for the S-BUS to record and send to the buyer.
    func tellBuyer(
        _ key: OrderKey, reference: String, _ event: OrderEvent, evidence: [ActivationEvidence]? = nil
    ) -> RoleStep {
        .message(.scoToSBUS(.orderEvent(key, reference: reference, event, evidence: evidence)))
    }
}
