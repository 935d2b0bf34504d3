import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Node
import Sonata
import SupplyChain
import Testing

/// MEF Interlude Performance Monitoring v2 on a live node, driven as a plain Interlude client: a job's scheduled
/// reports, an on-demand report, the hub's notifications, every body checked against the MEF v2 OpenAPI schemas;
/// refusals record nothing.
@Suite(.serialized)
struct PerformanceRouteTests {
    static let schema = OrderRouteTests.schema("performanceMonitoring.api")
    static let notificationSchema = OrderRouteTests.schema("performanceNotification.api")

    /// The seller's EPL with an SLA, and how it really performs: availability 99.95 % against 99.9 %, delay about
    /// 8 ms against 5 ms (breached), loss and delay variation well within.
    static let catalog = """
        { offering: EPL, places: ["*"], cost: 100, sla: { availability: 99.9%, delay: 5ms, frameLoss: 0.01%, delayVariation: 1ms }, performance: { availability: 99.95%, delay: 8ms, frameLoss: 0.005%, delayVariation: 500us } }
        """

    static func fixture(callbacks: [String] = []) throws -> NodeRouteTests.Fixture {
        try NodeRouteTests.Fixture(
            clock: "{ mode: stepped, start: \"\(OrderRouteTests.start)\", controller: BUYER }", callbacks: callbacks,
            catalog: catalog)
    }

    static func attributes(_ service: String) -> JSONValue {
        ["@type": .string(PerformanceRendering.serviceAttributesType), "serviceId": .string(service)]
    }

    /// A `PerformanceJob_Create` on `service`: every `minutes` from `start` to `end`.
    static func job(
        service: String, minutes: Int = 15, start: String = "2026-01-16T09:00:00Z",
        end: String = "2026-01-16T10:00:00Z",
        profile: [String: JSONValue] = [:]
    ) -> JSONValue {
        var performanceProfile: [String: JSONValue] = [
            "@type": "PerformanceProfileValue", "jobType": "proactive", "outputFormat": "json",
            "resultFormat": "payload",
        ]
        performanceProfile.merge(profile) { $1 }
        return [
            "buyerJobId": "shop-pm-1", "description": "the EPL every quarter of an hour",
            "performanceProfile": .object(performanceProfile),
            "servicePayloadSpecificAttributes": attributes(service),
            "scheduleDefinition": [
                "scheduleDefinitionStartTime": .string(start), "scheduleDefinitionEndTime": .string(end),
                "recurringFrequency": [
                    "recurringFrequencyValue": .number(Double(minutes)), "recurringFrequencyUnits": "MINUTES",
                ],
            ],
        ]
    }

    /// A `PerformanceReport_Create` on `service` over `from`…`to`.
    static func reportRequest(service: String, from: String, to: String) -> JSONValue {
        [
            "description": "yesterday's availability",
            "performanceJob": [
                "@type": "PerformanceJobValue", "outputFormat": "json", "resultFormat": "payload",
                "servicePayloadSpecificAttributes": attributes(service),
            ],
            "reportingTimeframe": ["reportingStartDate": .string(from), "reportingEndDate": .string(to)],
        ]
    }

    /// What the node recorded: the entries on its ledgers, then those still waiting for BUYER's countersignature
    /// (the plain client here countersigns nothing).
    static func entries(_ fixture: NodeRouteTests.Fixture) throws -> [LedgerRecord] {
        let ledgers = fixture.server.node.ledgers
        let agreed = try ledgers.store.ledgerIDs().flatMap { try ledgers.store.entries(of: $0) }.map {
            LedgerRecord(counterparty: $0.author, kind: $0.kind, refs: $0.refs, body: $0.body)
        }
        // What waits in a lane (the service runs no jobs in a router test): the buyer's, and the SOF's.
        return agreed + ledgers.waiting(for: "BUYER") + ledgers.waiting(for: "SELLER#sof")
    }

    /// The service's aggregate data point of a report.
    static func servicePoint(_ report: JSONValue) -> JSONValue? {
        report["reportContent"]?.arrayValue?.first?["measurementDataPoints"]?.arrayValue?.first
    }

    @Test(
        "PDL-086 PDL-096 a plain Interlude performance job: a report at each 15-minute interval end, read as v2 PerformanceReports with the aggregate availability and verdicts the S-BUS recorded (report.delivered); the hub hears of the job, each report and an on-demand report; a cancelled job reports no more"
    )
    func scheduledJob() async throws {
        let captured = OrderRouteTests.Captured()
        let listener = Router(context: BasicRequestContext.self)
        listener.post("/shop/listener/{eventType}") { request, _ -> Response in
            captured.append(Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            return Response(status: .noContent)
        }
        let listening = Application(router: listener, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await listening.test(.live) { listenerClient in
            let port = try #require(listenerClient.port)
            let fixture = try Self.fixture(callbacks: ["http://127.0.0.1:\(port)"])
            var service = fixture.server.service  // runs the node's jobs: the deliveries
            service.drainLimit = .zero
            let jobs = Task { try await service.run() }
            defer { jobs.cancel() }
            try await fixture.server.application().test(.router) { client in
                let serviceID = try await TicketRouteTests.activeService(fixture, client: client)
                let hubInput: JSONValue = ["callback": .string("http://127.0.0.1:\(port)/shop")]
                #expect(Self.schema.validate(hubInput, against: "EventSubscriptionInput") == [])
                let (hubStatus, hub) = try await OrderRouteTests.send(
                    .post, NodeRoutes.performanceHubPath, body: hubInput.canonicalData, as: fixture.buyer, to: client)
                #expect(hubStatus == .created)
                #expect(Self.schema.validate(hub, against: "EventSubscription") == [])

                let create = Self.job(service: serviceID)
                #expect(Self.schema.validate(create, against: "PerformanceJob_Create") == [])
                let (created, job) = try await OrderRouteTests.send(
                    .post, NodeRoutes.performanceJobPath, body: create.canonicalData, as: fixture.buyer, to: client)
                #expect(created == .created, "\(job)")
                let violations = Self.schema.validate(job, against: "PerformanceJob")
                #expect(violations.isEmpty, "\(violations)")
                #expect(job["state"] == "inProgress")
                #expect(job["buyerJobId"] == "shop-pm-1")
                #expect(job["servicePayloadSpecificAttributes"]?["serviceId"]?.stringValue == serviceID)
                let jobID = try #require(job["id"]?.stringValue)
                // The S-BUS took the schedule on the buyer's ledger (PDL-088).
                let receipt = try Self.entries(fixture).first { $0.kind == "report.receipt" }
                #expect(receipt?.refs == ["service": serviceID, "report": jobID])

                try await OrderRouteTests.advance(to: "2026-01-16T09:31:00Z", as: fixture.buyer, client: client)
                let (listed, list) = try await OrderRouteTests.send(
                    .get, NodeRoutes.performanceReportPath + "?performanceJobId=\(jobID)", as: fixture.buyer,
                    to: client)
                #expect(listed == .ok)
                #expect(Self.schema.validate(list, againstArrayOf: "PerformanceReport_Find") == [])
                let ids = try #require(list.arrayValue?.compactMap { $0["id"]?.stringValue })
                #expect(ids.count == 2)  // 09:15 and 09:30
                let delivered = try Self.entries(fixture).filter { $0.kind == "report.delivered" }
                #expect(delivered.map { $0.refs["report"] ?? "" } == ids)
                for (id, entry) in zip(ids, delivered) {
                    let (read, report) = try await OrderRouteTests.send(
                        .get, NodeRoutes.performanceReportPath + "/" + id, as: fixture.buyer, to: client)
                    #expect(read == .ok)
                    let violations = Self.schema.validate(report, against: "PerformanceReport")
                    #expect(violations.isEmpty, "\(violations)")
                    #expect(report["state"] == "completed")
                    #expect(report["performanceJob"]?["id"]?.stringValue == jobID)
                    let point = try #require(Self.servicePoint(report))
                    // 99.95 % with no outage in the interval, against the SLA's 99.9 %: what the ledger says too.
                    #expect(point["measured"]?["availabilityPPM"] == 999_500)
                    #expect(point["objectives"]?["availabilityPPM"] == 999_000)
                    #expect(entry.body["measured"]?["availabilityPPM"] == 999_500)
                    #expect(
                        point["compliance"]
                            == [
                                "availability": "met", "delay": "breached", "frameLoss": "met", "delayVariation": "met",
                            ])
                    #expect(point["missingElements"] == [])
                }

                let cancel: JSONValue = ["performanceJob": ["@type": "PerformanceJobRef", "id": .string(jobID)]]
                #expect(Self.schema.validate(cancel, against: "CancelPerformanceJob_Create") == [])
                let (cancelled, process) = try await OrderRouteTests.send(
                    .post, NodeRoutes.performanceBase + "/cancelPerformanceJob", body: cancel.canonicalData,
                    as: fixture.buyer, to: client)
                #expect(cancelled == .created)
                #expect(Self.schema.validate(process, against: "CancelPerformanceJob") == [])
                let processID = try #require(process["id"]?.stringValue)
                let (readProcess, processAgain) = try await OrderRouteTests.send(
                    .get, NodeRoutes.performanceBase + "/cancelPerformanceJob/" + processID, as: fixture.buyer,
                    to: client)
                #expect(readProcess == .ok)
                #expect(processAgain == process)
                #expect(try Self.entries(fixture).contains { $0.kind == "report.schedule_cancelled" })
                try await OrderRouteTests.advance(to: "2026-01-16T09:50:00Z", as: fixture.buyer, client: client)
                let (_, after) = try await OrderRouteTests.send(
                    .get, NodeRoutes.performanceJobPath + "/" + jobID, as: fixture.buyer, to: client)
                #expect(after["state"] == "cancelled")
                #expect(Self.schema.validate(after, against: "PerformanceJob") == [])
                let (_, still) = try await OrderRouteTests.send(
                    .get, NodeRoutes.performanceReportPath, as: fixture.buyer, to: client)
                #expect(still.arrayValue?.count == 2)
                let (_, theirs) = try await OrderRouteTests.send(
                    .get, NodeRoutes.performanceJobPath + "/" + jobID, as: fixture.other, to: client)
                #expect(theirs["code"] == "accessDenied")

                // An on-demand report: created and completed at once, each told to the hub.
                let (onDemand, report) = try await OrderRouteTests.send(
                    .post, NodeRoutes.performanceReportPath,
                    body: Self.reportRequest(
                        service: serviceID, from: "2026-01-16T09:00:00Z", to: "2026-01-16T09:45:00Z"
                    )
                    .canonicalData,
                    as: fixture.buyer, to: client)
                #expect(onDemand == .created)
                let reportID = try #require(report["id"]?.stringValue)

                await waitUntil { captured.all.count >= 6 }
                let events = try captured.all.map { try JSONValue.parse($0) }
                let types = events.compactMap { $0["eventType"]?.stringValue }
                #expect(
                    types.sorted() == [
                        "performanceJobCreateEvent", "performanceJobReportReadyEvent", "performanceJobReportReadyEvent",
                        "performanceJobStateChangeEvent", "performanceReportCreateEvent",
                        "performanceReportStateChangeEvent",
                    ])
                for event in events {
                    let type = event["eventType"]?.stringValue ?? ""
                    let schemaName =
                        type == "performanceJobReportReadyEvent"
                        ? "PerformanceJobReportReadyEvent"
                        : type.hasPrefix("performanceReport") ? "PerformanceReportEvent" : "PerformanceJobEvent"
                    let violations = Self.notificationSchema.validate(event, against: schemaName)
                    #expect(violations.isEmpty, "\(violations)")
                    #expect(
                        event["event"]?["id"]?.stringValue == (type.hasPrefix("performanceReport") ? reportID : jobID))
                }
                let ready = events.filter { $0["eventType"] == "performanceJobReportReadyEvent" }
                #expect(Set(ready.compactMap { $0["event"]?["reportId"]?.stringValue }) == Set(ids))
            }
        }
    }

    @Test(
        "PDL-087 PDL-088 an on-demand PerformanceReport_Create on the buyer's service: 201 completed, valid against v2, the SOF's measurement aggregated; report.receipt and report.delivered on the buyer's ledger"
    )
    func onDemandReport() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application().test(.router) { client in
            let serviceID = try await TicketRouteTests.activeService(fixture, client: client)
            let create = Self.reportRequest(
                service: serviceID, from: "2026-01-16T06:00:00Z", to: "2026-01-16T08:00:00Z")
            #expect(Self.schema.validate(create, against: "PerformanceReport_Create") == [])
            let (status, report) = try await OrderRouteTests.send(
                .post, NodeRoutes.performanceReportPath, body: create.canonicalData, as: fixture.buyer, to: client)
            #expect(status == .created, "\(report)")
            let violations = Self.schema.validate(report, against: "PerformanceReport")
            #expect(violations.isEmpty, "\(violations)")
            #expect(report["state"] == "completed")
            #expect(report["reportingTimeframe"]?["reportingStartDate"] == "2026-01-16T06:00:00Z")
            let point = try #require(Self.servicePoint(report))
            #expect(point["measured"]?["availabilityPPM"] == 999_500)
            #expect(point["compliance"]?["delay"] == "breached")
            #expect(point["compliance"]?["availability"] == "met")
            let element = try #require(
                report["reportContent"]?.arrayValue?.first?["measurementDataPoints"]?.arrayValue?.dropFirst().first)
            #expect(element["source"] == "internal")
            #expect(element["missing"] == false)
            let id = try #require(report["id"]?.stringValue)
            let entries = try Self.entries(fixture).filter { $0.refs["report"] == id }
            #expect(entries.map(\.kind).sorted() == ["report.delivered", "report.receipt", "sof.measured"])
            let (read, again) = try await OrderRouteTests.send(
                .get, NodeRoutes.performanceReportPath + "/" + id, as: fixture.buyer, to: client)
            #expect(read == .ok)
            #expect(again == report)
            let (theirs, _) = try await OrderRouteTests.send(
                .get, NodeRoutes.performanceReportPath + "/" + id, as: fixture.other, to: client)
            #expect(theirs == .forbidden)
        }
    }

    @Test(
        "refused performance requests record nothing: an unknown service 404, another buyer's 403, a 10-second interval, a timeframe under a minute or backwards, a suspension 422 naming the field"
    )
    func refusals() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application().test(.router) { client in
            let serviceID = try await TicketRouteTests.activeService(fixture, client: client)
            let before = try await TicketRouteTests.footprint(fixture)
            func post(
                _ path: String, _ body: JSONValue, as key: PartyKey? = nil
            ) async throws -> (HTTPResponse.Status, JSONValue) {
                try await OrderRouteTests.send(
                    .post, path, body: body.canonicalData, as: key ?? fixture.buyer, to: client)
            }
            let (unknown, notFound) = try await post(NodeRoutes.performanceJobPath, Self.job(service: "SELLER-svc-999"))
            #expect(unknown == .notFound)
            #expect(Self.schema.validate(notFound, against: "Error404") == [])
            let (others, _) = try await post(
                NodeRoutes.performanceJobPath, Self.job(service: serviceID), as: fixture.other)
            #expect(others == .forbidden)
            var fast = Self.job(service: serviceID, profile: ["granularity": "10 second"])
            if case .object(var body) = fast {
                body.removeValue(forKey: "scheduleDefinition")
                fast = .object(body)
            }
            #expect(Self.schema.validate(fast, against: "PerformanceJob_Create") == [])
            let (tooFast, errors) = try await post(NodeRoutes.performanceJobPath, fast)
            #expect(tooFast == .unprocessableContent)
            #expect(errors.arrayValue?.first?["propertyPath"] == "/performanceProfile/granularity")
            #expect(Self.schema.validate(errors, againstArrayOf: "Error422") == [])
            let (backwards, ended) = try await post(
                NodeRoutes.performanceJobPath,
                Self.job(service: serviceID, start: "2026-01-16T10:00:00Z", end: "2026-01-16T09:30:00Z"))
            #expect(backwards == .unprocessableContent)
            #expect(ended.arrayValue?.first?["propertyPath"] == "/scheduleDefinition/scheduleDefinitionEndTime")
            let (short, shortErrors) = try await post(
                NodeRoutes.performanceReportPath,
                Self.reportRequest(service: serviceID, from: "2026-01-16T08:00:00Z", to: "2026-01-16T08:00:30Z"))
            #expect(short == .unprocessableContent)
            #expect(shortErrors.arrayValue?.first?["propertyPath"] == "/reportingTimeframe/reportingEndDate")
            let (reversed, reversedErrors) = try await post(
                NodeRoutes.performanceReportPath,
                Self.reportRequest(service: serviceID, from: "2026-01-16T08:00:00Z", to: "2026-01-16T07:00:00Z"))
            #expect(reversed == .unprocessableContent)
            #expect(reversedErrors.arrayValue?.first?["propertyPath"] == "/reportingTimeframe/reportingEndDate")
            let (othersReport, _) = try await post(
                NodeRoutes.performanceReportPath,
                Self.reportRequest(service: serviceID, from: "2026-01-16T07:00:00Z", to: "2026-01-16T08:00:00Z"),
                as: fixture.other)
            #expect(othersReport == .forbidden)
            #expect(try await TicketRouteTests.footprint(fixture) == before)

            // A job exists; suspending it is refused (the SCO cannot pause a schedule) and records nothing.
            let (_, job) = try await post(NodeRoutes.performanceJobPath, Self.job(service: serviceID))
            let jobID = try #require(job["id"]?.stringValue)
            let withJob = try await TicketRouteTests.footprint(fixture)
            let (suspend, suspendErrors) = try await post(
                NodeRoutes.performanceBase + "/suspendPerformanceJob",
                ["performanceJob": ["@type": "PerformanceJobRef", "id": .string(jobID)]])
            #expect(suspend == .unprocessableContent)
            #expect(suspendErrors.arrayValue?.first?["propertyPath"] == "/performanceJob")
            #expect(try await TicketRouteTests.footprint(fixture) == withJob)
        }
    }

    @Test("restart: a node started again on its files keeps the buyer's performance hub, jobs and reports")
    func restartKeepsJobsAndHubs() async throws {
        let fixture = try Self.fixture()
        let jobID = try await fixture.server.application().test(.router) { client -> String in
            let serviceID = try await TicketRouteTests.activeService(fixture, client: client)
            let hub: JSONValue = ["callback": "https://buyer.example/pm"]
            let (registered, _) = try await OrderRouteTests.send(
                .post, NodeRoutes.performanceHubPath, body: hub.canonicalData, as: fixture.buyer, to: client)
            #expect(registered == .created)
            let (_, job) = try await OrderRouteTests.send(
                .post, NodeRoutes.performanceJobPath, body: Self.job(service: serviceID).canonicalData,
                as: fixture.buyer, to: client)
            try await OrderRouteTests.advance(to: "2026-01-16T09:16:00Z", as: fixture.buyer, client: client)
            return try #require(job["id"]?.stringValue)
        }
        let path = fixture.directory.appendingPathComponent("seller.yaml").path
        let restarted = try NodeServer(configuration: NodeConfiguration.load(path: path), logger: Logger(label: "test"))
        #expect(try await restarted.node.restore() > 0)
        #expect(await restarted.node.performanceHubs(of: "BUYER").map(\.callback) == ["https://buyer.example/pm"])
        try await restarted.application().test(.router) { client in
            let (status, job) = try await OrderRouteTests.send(
                .get, NodeRoutes.performanceJobPath + "/" + jobID, as: fixture.buyer, to: client)
            #expect(status == .ok)
            #expect(job["buyerJobId"] == "shop-pm-1")
            let (_, reports) = try await OrderRouteTests.send(
                .get, NodeRoutes.performanceReportPath, as: fixture.buyer, to: client)
            #expect(reports.arrayValue?.count == 1)
            // The schedule runs on: the next interval end is reported.
            try await OrderRouteTests.advance(to: "2026-01-16T09:31:00Z", as: fixture.buyer, client: client)
            let (_, more) = try await OrderRouteTests.send(
                .get, NodeRoutes.performanceReportPath, as: fixture.buyer, to: client)
            #expect(more.arrayValue?.count == 2)
        }
    }
}
