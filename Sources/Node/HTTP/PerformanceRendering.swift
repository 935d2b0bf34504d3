import CanonicalJSON
import Foundation
import Sonata
import SupplyChain

/// How a live node shows performance monitoring to plain MEF Interlude clients (Performance Monitoring v2): its
/// jobs as `PerformanceJob`, its reports as `PerformanceReport` with the core's aggregated report as the content.
public enum PerformanceRendering {
    /// The `@type` of `servicePayloadSpecificAttributes` that names the service to monitor (`serviceId`, PDL-085):
    /// the Interlude schema has no field for it (after-delivery.md §2).
    public static let serviceAttributesType = "SupplyChainServicePerformance"
    /// The `@type` of each measurement data point: the MEF 10.4 one-way SLS metrics of the service (in series
    /// along the chain) or of one element, with the objectives and verdicts.
    public static let resultType = "SupplyChainServicePerformanceResult"

    static func date(_ instant: Instant) -> JSONValue { .string(MEFDateTime(instant.date).text) }

    /// The `servicePayloadSpecificAttributes` for `serviceID`.
    static func serviceAttributes(_ serviceID: String) -> JSONValue {
        ["@type": .string(serviceAttributesType), "serviceId": .string(serviceID)]
    }

    /// A job's `scheduleDefinition` as the SCO runs it: the interval in whole minutes.
    static func scheduleDefinition(_ schedule: ReportSchedule, terms: ReportingTerms) -> JSONValue {
        var definition: [String: JSONValue] = [
            "scheduleDefinitionStartTime": date(schedule.start),
            "recurringFrequency": [
                "recurringFrequencyValue": .number(Double(max(1, terms.every.milliseconds / 60_000))),
                "recurringFrequencyUnits": "MINUTES",
            ],
        ]
        if let end = schedule.end { definition["scheduleDefinitionEndTime"] = date(end) }
        return .object(definition)
    }

    /// A job as a `PerformanceJob` (`find`: a `PerformanceJob_Find` list item). The buyer's own fields
    /// (`buyerJobId`, `description`, the profile's values) are given back as it sent them.
    public static func job(
        _ job: ProviderNode.PerformanceJobResource, state: PerformanceJobState, terms: ReportingTerms,
        request: JSONValue?, href: String, find: Bool = false
    ) -> JSONValue {
        var body: [String: JSONValue] = [
            "id": .string(job.id), "creationDate": date(job.createdAt), "state": .string(state.rawValue),
            "performanceProfile": request?["performanceProfile"]
                ?? [
                    "@type": "PerformanceProfileValue", "jobType": "proactive", "outputFormat": "json",
                    "resultFormat": "payload",
                ],
            "scheduleDefinition": scheduleDefinition(job.schedule, terms: terms),
        ]
        for field in ["buyerJobId", "description", "consumingApplicationId", "producingApplicationId"] {
            if let value = request?[field], value.stringValue != nil { body[field] = value }
        }
        if !find {
            body["href"] = .string(href)
            body["servicePayloadSpecificAttributes"] = serviceAttributes(job.schedule.serviceID)
            if let cancelled = job.cancelledAt { body["lastModifiedDate"] = date(cancelled) }
        }
        return .object(body)
    }

    /// A report as a `PerformanceReport` (`find`: a `PerformanceReport_Find` list item): `completed` with its
    /// content once the core delivered it, `inProgress` until then.
    public static func report(
        _ resource: ProviderNode.PerformanceReportResource, href: String, jobBase: String, find: Bool = false
    ) -> JSONValue {
        var body: [String: JSONValue] = [
            "id": .string(resource.id), "creationDate": date(resource.createdAt),
            "state": resource.report == nil ? "inProgress" : "completed",
            "reportingTimeframe": ["reportingStartDate": date(resource.from), "reportingEndDate": date(resource.to)],
        ]
        if let jobID = resource.jobID {
            body["performanceJob"] = [
                "@type": "PerformanceJobRef", "id": .string(jobID), "href": .string(jobBase + "/" + jobID),
            ]
        } else {
            body["performanceJob"] = [
                "@type": "PerformanceJobValue", "outputFormat": "json", "resultFormat": "payload",
                "servicePayloadSpecificAttributes": serviceAttributes(resource.serviceID),
            ]
        }
        guard !find else { return .object(body) }
        body["href"] = .string(href)
        if let completed = resource.completedAt { body["lastModifiedDate"] = date(completed) }
        if let report = resource.report {
            let points = dataPoints(report)
            // The schema's `ReportContentItem` declares `measurementDataPoints` but requires `measurementDataPoint`
            // (a misprint in the MEF file): both carry the same points, so a client validating either way is served.
            body["reportContent"] = [
                [
                    "measurementTime": [
                        "measurementStartDate": date(report.from), "measurementEndDate": date(report.to),
                    ],
                    "measurementDataPoints": points, "measurementDataPoint": points,
                ]
            ]
        }
        return .object(body)
    }

    /// The service's aggregate first, then each element in chaining order; a missing element is marked so and
    /// has no values (never assumed met).
    static func dataPoints(_ report: PerformanceReport) -> JSONValue {
        var service: [String: JSONValue] = [
            "@type": .string(resultType), "scope": "service", "serviceId": .string(report.serviceID),
            "compliance": .object(report.compliance.mapValues { .string($0.rawValue) }),
            "missingElements": .array(report.missing.map { .string($0) }),
        ]
        if let measured = report.measured { service["measured"] = metrics(measured) }
        if let objectives = report.objectives { service["objectives"] = metrics(objectives) }
        var points: [JSONValue] = [.object(service)]
        for element in report.elements {
            var point: [String: JSONValue] = [
                "@type": .string(resultType), "scope": "element", "elementId": .string(element.itemID),
                "source": .string(element.source), "missing": .bool(element.measured == nil),
            ]
            if let measured = element.measured {
                point["measured"] = metrics(measured)
                if let objectives = element.objectives {
                    point["compliance"] = .object(
                        measured.compliance(with: objectives).reduce(into: [String: JSONValue]()) {
                            $0[$1.key.rawValue] = .string($1.value.rawValue)
                        })
                }
            }
            if let objectives = element.objectives { point["objectives"] = metrics(objectives) }
            points.append(.object(point))
        }
        return .array(points)
    }

    /// The four metrics in the core's exact units: availability and frame loss ratio in parts per million, one-way
    /// frame delay and inter-frame delay variation in microseconds.
    static func metrics(_ metrics: PerformanceMetrics) -> JSONValue {
        [
            "availabilityPPM": .number(Double(metrics.availabilityPPM)),
            "oneWayFrameDelayMicroseconds": .number(Double(metrics.delayMicros)),
            "frameLossRatioPPM": .number(Double(metrics.frameLossPPM)),
            "interFrameDelayVariationMicroseconds": .number(Double(metrics.delayVariationMicros)),
        ]
    }
}
