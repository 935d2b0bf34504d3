import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Sonata
import SupplyChain

/// Performance monitoring (MEF Interlude Performance Monitoring v2, ETSI PDL §37–46). A plain Interlude buyer creates
/// `performanceJob`s (a schedule of reports on one of its services, run by the SCO), cancels them, asks for
/// on-demand `performanceReport`s, reads both, and registers a `hub` for their notifications. Between nodes, a
/// buyer's on-demand request travels in the supply envelope to `performanceReport`, and the seller's reports
/// (scheduled and asked for) to the buyer's listener.
extension NodeRoutes {
    public static let performanceBase = "/mefApi/interlude/performanceMonitoring/v2"
    public static let performanceReportPath = performanceBase + "/performanceReport"
    public static let performanceJobPath = performanceBase + "/performanceJob"
    public static let performanceHubPath = performanceBase + "/hub"
    public static let performanceListenerBase = "/mefApi/interlude/performanceMonitoringNotification/v2/listener"

    /// The rule id of this node's own limits on performance requests (findings name it with the field).
    static let performanceRule = "SCBROKER-PERFORMANCE"

    static func addPerformanceRoutes(
        to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier
    ) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .post, RouterPath(performanceReportPath), limit: limit, verifier: verifier, json: true) {
            incoming, _, _ in
            let type = incoming.headers[.contentType]?.lowercased() ?? ""
            guard type.hasPrefix(NodeHeaders.supplyChainMediaType) else {
                return await createPerformanceReport(incoming, node: node)
            }
            guard let message = incoming.message,
                case .performance(.request(let request)) = message
            else {
                return error(
                    MEFError(
                        code: .invalidBody,
                        reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a report request"))
            }
            guard let service = await node.serviceSnapshot(request.serviceID) else {
                return error(MEFError(code: .notFound, reason: "PDL-085: no service '\(request.serviceID)' here"))
            }
            guard service.buyer == incoming.party else {
                return error(MEFError(code: .accessDenied, reason: "PDL-085: this service is another buyer's"))
            }
            let replyTo: String?
            switch checkedReplyTo(incoming, node: node) {
            case .success(let value): replyTo = value
            case .failure(let refusal): return refusal.response
            }
            await node.requestReport(request, from: incoming.party, replyTo: replyTo)
            return Response(status: .created)
        }
        signedRoute(router, .get, RouterPath(performanceReportPath), limit: limit, verifier: verifier, json: false) {
            incoming, request, _ in
            let query = request.uri.queryParameters
            var reports = await node.performanceReports(of: incoming.party)
            if let job = query.get("performanceJobId") { reports = reports.filter { $0.jobID == job } }
            if let state = query.get("state") {
                reports = reports.filter { ($0.report == nil ? "inProgress" : "completed") == state }
            }
            reports = reports.filter { within($0.createdAt, query, prefix: "creationDate") }
            reports = reports.filter { within($0.from, query, prefix: "reportingTimeframe.startDate") }
            reports = reports.filter { within($0.to, query, prefix: "reportingTimeframe.endDate") }
            let page = paged(reports, query)
            return json(
                .ok,
                page.map {
                    PerformanceRendering.report(
                        $0, href: "", jobBase: node.configuration.publicURL + performanceJobPath, find: true)
                })
        }
        signedRoute(
            router, .get, RouterPath(performanceReportPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            let id = context.parameters.get("id") ?? ""
            guard let resource = await node.performanceReport(id: id) else {
                return error(MEFError(code: .notFound, reason: "no performanceReport '\(id)'"))
            }
            guard resource.buyer == incoming.party else {
                return error(MEFError(code: .accessDenied, reason: "this performanceReport is another buyer's"))
            }
            return json(.ok, await render(resource, node: node))
        }
        signedRoute(router, .post, RouterPath(performanceJobPath), limit: limit, verifier: verifier, json: true) {
            incoming, _, _ in
            await createPerformanceJob(incoming, node: node)
        }
        signedRoute(router, .get, RouterPath(performanceJobPath), limit: limit, verifier: verifier, json: false) {
            incoming, request, _ in
            let query = request.uri.queryParameters
            var list: [(ProviderNode.PerformanceJobResource, PerformanceJobState)] = []
            for job in await node.performanceJobs(of: incoming.party) {
                list.append((job, await node.performanceJobState(job)))
            }
            if let state = query.get("state") { list = list.filter { $0.1.rawValue == state } }
            if let jobType = query.get("jobType"), jobType != "proactive" { list = [] }
            list = list.filter { within($0.0.createdAt, query, prefix: "creationDate") }
            var rendered: [JSONValue] = []
            for (job, state) in list {
                let request = await node.performanceJobRequest(id: job.id)
                if let buyerJobId = query.get("buyerJobId"), request?["buyerJobId"]?.stringValue != buyerJobId {
                    continue
                }
                rendered.append(
                    PerformanceRendering.job(
                        job, state: state, terms: await node.performanceJobTerms(job), request: request, href: "",
                        find: true))
            }
            return json(.ok, paged(rendered, query))
        }
        signedRoute(
            router, .get, RouterPath(performanceJobPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            switch await ownJob(context.parameters.get("id") ?? "", of: incoming.party, node: node) {
            case .failure(let refusal): return refusal.response
            case .success(let job): return json(.ok, await render(job, node: node))
            }
        }
        signedRoute(
            router, .post, RouterPath(performanceBase + "/cancelPerformanceJob"), limit: limit, verifier: verifier,
            json: true
        ) { incoming, _, _ in
            let job: ProviderNode.PerformanceJobResource
            switch await referencedJob(incoming, node: node) {
            case .failure(let refusal): return refusal.response
            case .success(let value): job = value
            }
            let state = await node.performanceJobState(job)
            guard state == .scheduled || state == .inProgress else {
                return unprocessable([
                    ValidationFinding(
                        path: "/performanceJob/id", rule: performanceRule,
                        message: "a performance job that is \(state.rawValue) cannot be cancelled")
                ])
            }
            guard let cancelled = await node.cancelPerformanceJob(id: job.id, buyer: incoming.party),
                let at = cancelled.cancelledAt
            else {
                return error(MEFError(code: .internalError, reason: "the cancellation was not taken"))
            }
            return json(.created, cancellation(job.id, at: at, node: node))
        }
        signedRoute(
            router, .get, RouterPath(performanceBase + "/cancelPerformanceJob/{id}"), limit: limit,
            verifier: verifier, json: false
        ) { incoming, _, context in
            let id = context.parameters.get("id") ?? ""
            let jobID = id.hasSuffix("-cancel") ? String(id.dropLast(7)) : ""
            switch await ownJob(jobID, of: incoming.party, node: node) {
            case .failure(let refusal): return refusal.response
            case .success(let job):
                guard let at = job.cancelledAt else {
                    return error(MEFError(code: .notFound, reason: "no cancelPerformanceJob '\(id)'"))
                }
                return json(.ok, cancellation(job.id, at: at, node: node))
            }
        }
        // Suspend, resume and modify: the SCO runs a schedule from its start to its end unless it is cancelled; it
        // has no paused or changed schedule, so these are refused rather than pretended.
        for process in ["suspend", "resume", "modify"] {
            signedRoute(
                router, .post, RouterPath(performanceBase + "/\(process)PerformanceJob"), limit: limit,
                verifier: verifier, json: true
            ) { incoming, _, _ in
                if case .failure(let refusal) = await referencedJob(incoming, node: node) { return refusal.response }
                return unprocessable([
                    ValidationFinding(
                        path: "/performanceJob", rule: performanceRule,
                        message:
                            "a performance job cannot be \(process == "modify" ? "modifie" : process)d here: a job runs from its start to its end unless cancelled; cancel it and create another"
                    )
                ])
            }
        }
        signedRoute(
            router, .post, RouterPath(performanceListenerBase + "/{eventType}"), limit: limit, verifier: verifier,
            json: true
        ) { incoming, _, _ in
            guard let message = incoming.message,
                case .performance(.report) = message
            else {
                return error(
                    MEFError(
                        code: .invalidBody, reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a report")
                )
            }
            await node.receive(message, from: incoming.party)
            return Response(status: .noContent)
        }
        addHubRoutes(
            to: router, path: performanceHubPath, node: node, verifier: verifier,
            register: { input, buyer in await node.registerPerformanceHub(input, buyer: buyer) },
            delete: { id, buyer in await node.deletePerformanceHub(id: id, buyer: buyer) })
    }

    /// The `CancelPerformanceJob` of a job the buyer cancelled (taken at once: `completed`); its id is the job's
    /// and `-cancel`.
    private static func cancellation(_ jobID: String, at: Instant, node: ProviderNode) -> JSONValue {
        let id = jobID + "-cancel"
        return [
            "id": .string(id), "creationDate": PerformanceRendering.date(at), "state": "completed",
            "href": .string(node.configuration.publicURL + performanceBase + "/cancelPerformanceJob/" + id),
            "performanceJob": [
                "@type": "PerformanceJobRef", "id": .string(jobID),
                "href": .string(node.configuration.publicURL + performanceJobPath + "/" + jobID),
            ],
        ]
    }

    // MARK: - Creating

    /// A plain `PerformanceJob_Create`: read, checked, handed to the core as the buyer's schedule; 201 with the job.
    private static func createPerformanceJob(_ incoming: Incoming, node: ProviderNode) async -> Response {
        let schedule: ReportSchedule
        switch performanceSchedule(incoming.json, now: node.clock.now()) {
        case .failure(let finding): return unprocessable([finding])
        case .success(let value): schedule = value
        }
        switch await node.createPerformanceJob(schedule, request: incoming.json ?? .null, from: incoming.party) {
        case .failure(let refusal):
            return refused(refusal, path: "/servicePayloadSpecificAttributes/serviceId")
        case .success(let job):
            return json(.created, await render(job, node: node))
        }
    }

    /// A plain `PerformanceReport_Create`: read, checked, handed to the core as an on-demand request (PDL-087);
    /// 201 with the report (completed at once when every element is this provider's own).
    private static func createPerformanceReport(_ incoming: Incoming, node: ProviderNode) async -> Response {
        let request: ReportRequest
        switch reportRequest(incoming.json, now: node.clock.now()) {
        case .failure(let finding): return unprocessable([finding])
        case .success(let value): request = value
        }
        switch await node.requestPerformanceReport(request, from: incoming.party) {
        case .failure(let refusal):
            return refused(refusal, path: "/performanceJob/servicePayloadSpecificAttributes/serviceId")
        case .success(let resource):
            return json(.created, await render(resource, node: node))
        }
    }

    private static func refused(_ refusal: ProviderNode.PerformanceRefusal, path: String) -> Response {
        switch refusal {
        case .unknownService(let id):
            return error(MEFError(code: .notFound, reason: "PDL-085: no service '\(id)' here (\(path))"))
        case .othersService(let id):
            return error(MEFError(code: .accessDenied, reason: "PDL-085: service '\(id)' is another buyer's (\(path))"))
        case .notInOperation(let id):
            return unprocessable([
                ValidationFinding(path: path, rule: "PDL-085", message: "service '\(id)' is not in operation")
            ])
        case .notTaken:
            return error(MEFError(code: .internalError, reason: "the request was not taken"))
        }
    }

    // MARK: - Reading and rendering resources

    /// The caller's job with this id: 404 when there is none, 403 when it is another buyer's.
    private static func ownJob(
        _ id: String, of buyer: PartyID, node: ProviderNode
    ) async -> Result<ProviderNode.PerformanceJobResource, ResponseError> {
        guard let job = await node.performanceJob(id: id) else {
            return .failure(ResponseError(error(MEFError(code: .notFound, reason: "no performanceJob '\(id)'"))))
        }
        guard job.buyer == buyer else {
            return .failure(
                ResponseError(error(MEFError(code: .accessDenied, reason: "this performanceJob is another buyer's"))))
        }
        return .success(job)
    }

    /// The caller's job a cancel, suspend, resume or modify request names in `performanceJob.id`.
    private static func referencedJob(
        _ incoming: Incoming, node: ProviderNode
    ) async -> Result<ProviderNode.PerformanceJobResource, ResponseError> {
        guard let id = incoming.json?["performanceJob"]?["id"]?.stringValue else {
            return .failure(ResponseError(unprocessable([schema("/performanceJob/id", "required")])))
        }
        return await ownJob(id, of: incoming.party, node: node)
    }

    private static func render(_ job: ProviderNode.PerformanceJobResource, node: ProviderNode) async -> JSONValue {
        PerformanceRendering.job(
            job, state: await node.performanceJobState(job), terms: await node.performanceJobTerms(job),
            request: await node.performanceJobRequest(id: job.id),
            href: node.configuration.publicURL + performanceJobPath + "/" + job.id)
    }

    private static func render(_ report: ProviderNode.PerformanceReportResource, node: ProviderNode) async -> JSONValue
    {
        PerformanceRendering.report(
            report, href: node.configuration.publicURL + performanceReportPath + "/" + report.id,
            jobBase: node.configuration.publicURL + performanceJobPath)
    }

    /// Whether `instant` is within the `<prefix>.gt` / `<prefix>.lt` bounds of the query (each optional).
    private static func within(_ instant: Instant, _ query: Parameters, prefix: String) -> Bool {
        if let text = query.get(prefix + ".gt"), let bound = MEFDateTime(text: text), !(instant > Instant(bound.date)) {
            return false
        }
        if let text = query.get(prefix + ".lt"), let bound = MEFDateTime(text: text), !(instant < Instant(bound.date)) {
            return false
        }
        return true
    }

    /// `offset` and `limit` of the query.
    private static func paged<T>(_ items: [T], _ query: Parameters) -> [T] {
        let offset = max(0, query.get("offset").flatMap { Int($0) } ?? 0)
        let limit = max(0, query.get("limit").flatMap { Int($0) } ?? items.count)
        return Array(items.dropFirst(offset).prefix(limit))
    }
}
