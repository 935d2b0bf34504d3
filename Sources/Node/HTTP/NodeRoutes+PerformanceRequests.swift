import CanonicalJSON
import Foundation
import Sonata
import SupplyChain

/// Reading plain Interlude performance requests: the schedule a `PerformanceJob_Create` asks for and the on-demand
/// request a `PerformanceReport_Create` makes, or the first thing wrong with either, naming the field.
extension NodeRoutes {
    /// The schedule a `PerformanceJob_Create` asks for, or the first thing wrong with it (naming the field).
    /// The job id is left empty: the node gives it.
    static func performanceSchedule(_ body: JSONValue?, now: Instant) -> Result<ReportSchedule, ValidationFinding> {
        guard let body, body.objectValue != nil else {
            return .failure(schema("", "expected a PerformanceJob_Create object"))
        }
        guard let profile = body["performanceProfile"]?.objectValue else {
            return .failure(schema("/performanceProfile", "required: a PerformanceProfileValue object"))
        }
        guard let profileType = profile["@type"]?.stringValue else {
            return .failure(schema("/performanceProfile/@type", "required"))
        }
        guard profileType == "PerformanceProfileValue" else {
            return .failure(
                ValidationFinding(
                    path: "/performanceProfile/@type", rule: performanceRule,
                    message:
                        "performance profiles are not kept here: give the profile's values (PerformanceProfileValue)"))
        }
        guard let jobType = profile["jobType"]?.stringValue else {
            return .failure(schema("/performanceProfile/jobType", "required"))
        }
        guard ["proactive", "on-demand", "passive"].contains(jobType) else {
            return .failure(schema("/performanceProfile/jobType", "not one of proactive, on-demand, passive"))
        }
        guard jobType == "proactive" else {
            return .failure(
                ValidationFinding(
                    path: "/performanceProfile/jobType", rule: performanceRule,
                    message:
                        "a job reports at each interval of its schedule (proactive); ask for an on-demand report with POST performanceReport"
                ))
        }
        if let finding = formats(profile, at: "/performanceProfile") { return .failure(finding) }
        let serviceID: String
        switch serviceAttributes(body["servicePayloadSpecificAttributes"], at: "/servicePayloadSpecificAttributes") {
        case .failure(let finding): return .failure(finding)
        case .success(let value): serviceID = value
        }
        let definition = body["scheduleDefinition"]?.objectValue ?? [:]
        if body["scheduleDefinition"] != nil, body["scheduleDefinition"]?.objectValue == nil {
            return .failure(schema("/scheduleDefinition", "expected an object"))
        }
        for field in ["scheduleDefinitionHourRange", "monthlyScheduleDayOfWeekDefinition", "weeklyScheduledDefinition"]
        where definition[field] != nil {
            return .failure(
                ValidationFinding(
                    path: "/scheduleDefinition/" + field, rule: performanceRule,
                    message:
                        "a job here reports at every interval from its start to its end; no hours, days or weeks within"
                ))
        }
        var start = now
        if let value = definition["scheduleDefinitionStartTime"] {
            guard let instant = instant(value) else {
                return .failure(schema("/scheduleDefinition/scheduleDefinitionStartTime", "expected a date-time"))
            }
            start = instant
        }
        var end: Instant?
        if let value = definition["scheduleDefinitionEndTime"] {
            guard let instant = instant(value) else {
                return .failure(schema("/scheduleDefinition/scheduleDefinitionEndTime", "expected a date-time"))
            }
            end = instant
        }
        let every: TimeSpan
        let everyPath: String
        if let frequency = definition["recurringFrequency"] {
            everyPath = "/scheduleDefinition/recurringFrequency"
            guard let value = frequency["recurringFrequencyValue"]?.numberValue, value >= 1, value == value.rounded(),
                value < 1e9
            else {
                return .failure(schema(everyPath + "/recurringFrequencyValue", "required: an integer of at least 1"))
            }
            let units: [String: TimeSpan] = [
                "MINUTES": .minutes(1), "HOURS": .hours(1), "DAYS": .days(1), "WEEKS": .days(7), "MONTHS": .days(30),
            ]
            guard let unit = frequency["recurringFrequencyUnits"]?.stringValue.flatMap({ units[$0] }) else {
                return .failure(
                    schema(everyPath + "/recurringFrequencyUnits", "required: MINUTES, HOURS, DAYS, WEEKS or MONTHS"))
            }
            every = TimeSpan(milliseconds: unit.milliseconds * Int64(value))
        } else if let period = profile["reportingPeriod"] ?? profile["granularity"] {
            everyPath =
                profile["reportingPeriod"] != nil
                ? "/performanceProfile/reportingPeriod" : "/performanceProfile/granularity"
            guard let interval = period.stringValue.flatMap(interval) else {
                return .failure(
                    ValidationFinding(
                        path: everyPath, rule: performanceRule, message: "not an interval a report can cover"))
            }
            every = interval
        } else {
            return .failure(
                ValidationFinding(
                    path: "/scheduleDefinition/recurringFrequency", rule: performanceRule,
                    message:
                        "a job needs its reporting interval: a recurringFrequency, or the profile's reportingPeriod"))
        }
        guard every >= ReportingTerms.shortestInterval else {
            return .failure(
                ValidationFinding(path: everyPath, rule: performanceRule, message: "a report covers at least a minute"))
        }
        if let end {
            guard start < end else {
                return .failure(
                    ValidationFinding(
                        path: "/scheduleDefinition/scheduleDefinitionEndTime", rule: performanceRule,
                        message: "the schedule must end after it starts"))
            }
            guard now < end else {
                return .failure(
                    ValidationFinding(
                        path: "/scheduleDefinition/scheduleDefinitionEndTime", rule: performanceRule,
                        message: "the schedule has already ended"))
            }
        }
        return .success(
            ReportSchedule(
                jobID: "", serviceID: serviceID, start: start, every: every, end: end,
                within: ProviderNode.performanceReportAllowance))
    }

    /// The on-demand request a `PerformanceReport_Create` makes, or the first thing wrong with it.
    /// The report id is left empty: the node gives it.
    static func reportRequest(_ body: JSONValue?, now: Instant) -> Result<ReportRequest, ValidationFinding> {
        guard let body, body.objectValue != nil else {
            return .failure(schema("", "expected a PerformanceReport_Create object"))
        }
        guard let job = body["performanceJob"]?.objectValue else {
            return .failure(schema("/performanceJob", "required: a PerformanceJobValue object"))
        }
        guard let jobType = job["@type"]?.stringValue else {
            return .failure(schema("/performanceJob/@type", "required"))
        }
        guard jobType == "PerformanceJobValue" else {
            return .failure(
                ValidationFinding(
                    path: "/performanceJob/@type", rule: performanceRule,
                    message:
                        "a job's reports come at each of its intervals; ask for one on demand with a PerformanceJobValue"
                ))
        }
        if let finding = formats(job, at: "/performanceJob") { return .failure(finding) }
        let serviceID: String
        switch serviceAttributes(
            job["servicePayloadSpecificAttributes"], at: "/performanceJob/servicePayloadSpecificAttributes")
        {
        case .failure(let finding): return .failure(finding)
        case .success(let value): serviceID = value
        }
        guard let timeframe = body["reportingTimeframe"]?.objectValue else {
            return .failure(
                ValidationFinding(
                    path: "/reportingTimeframe", rule: performanceRule, message: "required: the interval to report on"))
        }
        guard let from = timeframe["reportingStartDate"].flatMap(instant) else {
            return .failure(schema("/reportingTimeframe/reportingStartDate", "required: a date-time"))
        }
        guard let to = timeframe["reportingEndDate"].flatMap(instant) else {
            return .failure(schema("/reportingTimeframe/reportingEndDate", "required: a date-time"))
        }
        guard from < to else {
            return .failure(
                ValidationFinding(
                    path: "/reportingTimeframe/reportingEndDate", rule: performanceRule,
                    message: "the timeframe must end after it starts"))
        }
        guard to - from >= ReportingTerms.shortestInterval else {
            return .failure(
                ValidationFinding(
                    path: "/reportingTimeframe/reportingEndDate", rule: performanceRule,
                    message: "a report covers at least a minute"))
        }
        guard to <= now else {
            return .failure(
                ValidationFinding(
                    path: "/reportingTimeframe/reportingEndDate", rule: performanceRule,
                    message: "the timeframe has not ended yet"))
        }
        return .success(
            ReportRequest(
                reportID: "", serviceID: serviceID, from: from, to: to,
                respondBy: now + ProviderNode.performanceReportAllowance))
    }

    /// `outputFormat` json and `resultFormat` payload: the only ones served.
    private static func formats(_ object: [String: JSONValue], at base: String) -> ValidationFinding? {
        for (field, wanted, all) in [
            ("outputFormat", "json", ["json", "xml", "avro", "csv"]),
            ("resultFormat", "payload", ["payload", "attachment"]),
        ] {
            guard let value = object[field]?.stringValue else { return schema(base + "/" + field, "required") }
            guard all.contains(value) else {
                return schema(base + "/" + field, "not one of \(all.joined(separator: ", "))")
            }
            guard value == wanted else {
                return ValidationFinding(
                    path: base + "/" + field, rule: performanceRule, message: "reports are served as \(wanted) only")
            }
        }
        return nil
    }

    /// The service id in `servicePayloadSpecificAttributes` (under this node's `@type`).
    private static func serviceAttributes(_ value: JSONValue?, at base: String) -> Result<String, ValidationFinding> {
        guard let object = value?.objectValue else { return .failure(schema(base, "required: an object")) }
        guard let type = object["@type"]?.stringValue else { return .failure(schema(base + "/@type", "required")) }
        guard type == PerformanceRendering.serviceAttributesType else {
            return .failure(
                ValidationFinding(
                    path: base + "/@type", rule: performanceRule,
                    message: "expected \(PerformanceRendering.serviceAttributesType) (with the serviceId to monitor)"))
        }
        guard let id = object["serviceId"]?.stringValue, !id.isEmpty else {
            return .failure(
                ValidationFinding(path: base + "/serviceId", rule: "PDL-085", message: "required: the service id"))
        }
        return .success(id)
    }

    static func schema(_ path: String, _ message: String) -> ValidationFinding {
        ValidationFinding(path: path, rule: ValidationFinding.schemaRule, message: message)
    }

    private static func instant(_ value: JSONValue) -> Instant? {
        value.stringValue.flatMap { MEFDateTime(text: $0) }.map { Instant($0.date) }
    }

    /// An Interlude `Interval` as a time span (a month is 30 days); nil for `not applicable` or an unknown value.
    static func interval(_ text: String) -> TimeSpan? {
        let intervals: [String: TimeSpan] = [
            "10 milliseconds": TimeSpan(milliseconds: 10), "100 milliseconds": TimeSpan(milliseconds: 100),
            "1 second": .seconds(1), "10 second": .seconds(10), "1 minute": .minutes(1), "5 minutes": .minutes(5),
            "15 minutes": .minutes(15), "30 minutes": .minutes(30), "1 hour": .hours(1), "24 hours": .hours(24),
            "1 month": .days(30), "1 year": .days(365),
        ]
        return intervals[text]
    }
}
