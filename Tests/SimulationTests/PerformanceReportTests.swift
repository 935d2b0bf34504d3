import CanonicalJSON
import Foundation
import Ledger
import ScenarioModel
import Sonata
import SupplyChain
import Testing

@testable import Simulation

/// ETSI PDL performance reporting (§37–46, PDL-086..PDL-096), checked on the ledger copies the `performance-reports`
/// scenario leaves: RETAIL → WHOLESALE (its own core segment) → REGIONAL → ACCESS (the line), daily reports, a
/// 4-hour repair outage at ACCESS on 2026-01-30 and ENTERPRISE's on-demand report for that day.
struct PerformanceReportTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
    /// The scenario's start, 2026-01-05T09:00:00Z, in Unix milliseconds.
    static let start: Int64 = 1_767_603_600_000
    static let day: Int64 = 86_400_000

    func run(_ name: String = "performance-reports") throws -> SimulationResult {
        try ScenarioRunTests.run(name, out: directory)
    }

    func entries(_ holder: String, _ counterparty: String, in result: SimulationResult) throws -> [LedgerEntry] {
        let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("\(holder).sqlite").path)
        let summary = try #require(result.ledgers.first { Set($0.parties) == [holder, counterparty] })
        return try store.entries(of: LedgerID(rawValue: summary.ledgerID))
    }

    static func milliseconds(_ value: JSONValue?) -> Int64? { value?["milliseconds"]?.numberValue.map { Int64($0) } }

    @Test("PDL-086 a report a day on the agreed schedule, each over one whole day, recorded by the seller")
    func scheduled() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let reports = try entries("ENTERPRISE", "RETAIL", in: result).filter {
            $0.kind == "report.delivered" && $0.body["scheduled"] == true
        }
        #expect(reports.count == 30)
        #expect(reports.allSatisfy { $0.author == "RETAIL" && $0.refs["service"] == "RETAIL-svc-7" })
        let froms = reports.compactMap { Self.milliseconds($0.body["from"]) }
        let tos = reports.compactMap { Self.milliseconds($0.body["to"]) }
        try #require(froms.count == 30 && tos.count == 30)
        for index in 0..<30 {
            #expect(tos[index] - froms[index] == Self.day)
            if index > 0 { #expect(froms[index] == tos[index - 1], "consecutive intervals") }
        }
    }

    @Test("PDL-087 PDL-088 a buyer's on-demand request is taken on the upstream ledger and answered for its interval")
    func onDemand() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let ledger = try entries("ENTERPRISE", "RETAIL", in: result).filter {
            $0.refs["report"] == "ENTERPRISE-line-report-1"
        }
        #expect(ledger.map(\.kind) == ["report.requested", "report.receipt", "report.delivered"])
        #expect(ledger.map(\.author.rawValue) == ["ENTERPRISE", "RETAIL", "RETAIL"])
        let report = try #require(ledger.last)
        // The interval asked for: from the 25th to the 26th day of the scenario.
        #expect(Self.milliseconds(report.body["from"]) == Self.start + 25 * Self.day)
        #expect(Self.milliseconds(report.body["to"]) == Self.start + 26 * Self.day)
        #expect(report.body["scheduled"] == false)
    }

    @Test("PDL-089 PDL-093 the SOF measures the internal element for the request, and at every interval")
    func sofMeasures() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let measured = try entries("WHOLESALE", "WHOLESALE#sof", in: result).filter { $0.kind == "sof.measured" }
        let onDemand = measured.filter { $0.refs["report"] == "ENTERPRISE-line-report-1/core" }
        #expect(onDemand.count == 1)
        #expect(onDemand.first?.refs["element"] == "core")
        #expect(onDemand.first?.body["from"] == "2026-01-30T09:00:00Z")
        #expect(onDemand.first?.body["objectives"]?["delayMicros"] == 2_000)
        // Scheduled: one measurement per interval of the core segment's own service.
        #expect(measured.filter { $0.refs["report"]?.hasPrefix("WHOLESALE-svc-7@") == true }.count >= 30)
        // ACCESS's line is external to WHOLESALE: WHOLESALE's SOF never measures it.
        #expect(!measured.contains { $0.refs["element"] == "access" })
    }

    @Test("PDL-090 PDL-091 each external element is asked of its seller, recorded on that seller's ledger")
    func sellersAsked() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        // RETAIL buys both elements from WHOLESALE, as two services: two requests.
        let retail = try entries("RETAIL", "WHOLESALE", in: result).filter { $0.kind == "report.requested" }
        #expect(retail.map(\.author.rawValue) == ["RETAIL", "RETAIL"])
        #expect(Set(retail.compactMap { $0.refs["service"] }) == ["WHOLESALE-svc-7", "WHOLESALE-svc-8"])
        // WHOLESALE delivers the core itself and asks REGIONAL for the line only.
        let wholesale = try entries("WHOLESALE", "REGIONAL", in: result).filter { $0.kind == "report.requested" }
        #expect(wholesale.count == 1)
        #expect(wholesale.first?.author == "WHOLESALE")
        #expect(wholesale.first?.refs["report"] == "ENTERPRISE-line-report-1/access/access")
    }

    @Test("PDL-092 the seller's report is logged on the buyer's downstream ledger copy, countersigned")
    func sellerReportLogged() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let copy = try entries("WHOLESALE", "REGIONAL", in: result).filter { $0.kind == "report.delivered" }
        #expect(copy.count == 31)
        #expect(copy.allSatisfy { $0.author == "REGIONAL" && $0.counterSignature != nil })
    }

    @Test("PDL-094 the SP-End report aggregates the elements in series: availability multiplies, delays add")
    func aggregation() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let parts = try entries("RETAIL", "WHOLESALE", in: result).filter {
            $0.kind == "report.delivered" && $0.refs["report"]?.hasPrefix("ENTERPRISE-line-report-1/") == true
        }
        try #require(parts.count == 2)
        let core = try #require(parts.first { $0.refs["service"] == "WHOLESALE-svc-7" }?.body["measured"])
        let line = try #require(parts.first { $0.refs["service"] == "WHOLESALE-svc-8" }?.body["measured"])
        let total = try #require(
            try entries("ENTERPRISE", "RETAIL", in: result).first {
                $0.kind == "report.delivered" && $0.refs["report"] == "ENTERPRISE-line-report-1"
            }?.body["measured"])
        func number(_ value: JSONValue, _ key: String) throws -> Int64 {
            Int64(try #require(value[key]?.numberValue))
        }
        // Serial: A = A₁·A₂ (to the ppm below), delay and delay variation add, loss 1 − (1 − L₁)(1 − L₂).
        #expect(
            try number(total, "availabilityPPM")
                == (try number(core, "availabilityPPM")) * (try number(line, "availabilityPPM")) / 1_000_000)
        #expect(
            try number(total, "delayMicros") == (try number(core, "delayMicros")) + (try number(line, "delayMicros")))
        #expect(
            try number(total, "delayVariationMicros")
                == (try number(core, "delayVariationMicros")) + (try number(line, "delayVariationMicros")))
        let delivered =
            (1_000_000 - (try number(core, "frameLossPPM"))) * (1_000_000 - (try number(line, "frameLossPPM")))
            / 1_000_000
        #expect(try number(total, "frameLossPPM") == 1_000_000 - delivered)
    }

    @Test("PDL-095 PDL-096 the day of the outage: 20 of 24 hours up, availability breached, recorded upstream")
    func outageDay() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run()
        let report = try #require(
            try entries("ENTERPRISE", "RETAIL", in: result).first {
                $0.kind == "report.delivered" && $0.refs["report"] == "ENTERPRISE-line-report-1"
            })
        #expect(report.author == "RETAIL")
        // ACCESS was down 4 h of the 24: 20/24 = 0.833333…, and the core segment was up all day.
        #expect(report.body["measured"]?["availabilityPPM"] == 833_333)
        #expect(report.body["compliance"]?["availability"] == "breached")
        #expect(report.body["compliance"]?["delay"] == "met")
        #expect(report.body["missing"] == [])
    }

    @Test("a seller that reports too late leaves its element missing: every objective unknown, never met")
    func missingSeller() throws {
        let result = try ScenarioRunTests.run("performance-missing")
        let reports = try #require(result.demands.first?.order?.reports)
        #expect(reports.count == 11)
        #expect(reports.allSatisfy { $0.missing == ["access"] })
        #expect(reports.allSatisfy { Set($0.compliance.values) == ["unknown"] })
        #expect(result.reputations["RETAIL"] == "0.0:11")
    }

    @Test("reputation-aware sourcing: the cheap seller's breaches keep the next quote away from it")
    func reputationSourcing() throws {
        let result = try ScenarioRunTests.run("reputation-sourcing")
        let first = try #require(result.demands.first { $0.id == "first" })
        let second = try #require(result.demands.first { $0.id == "second" })
        #expect(first.items.first?.path == ["RETAIL", "CHEAP"])
        #expect(second.items.first?.path == ["RETAIL", "GOOD"])
        #expect(result.requestsReceived["CHEAP"]?["second"] == nil)
        #expect(result.reputations["CHEAP"]?.hasPrefix("5.") == true)
    }
}

/// PDL-114 on a service whose term is shorter than the reporting interval asked for.
struct ReportingIntervalTests {
    static let scenario = """
        name: short-term
        seed: 5
        defaults: { latency: 20ms, processingTime: 1s }
        providers:
          - id: ACCESS
            catalog:
              - { offering: EPL, places: [PARIS-1], cost: 100, leadTime: 2d,
                  sla: { availability: 99.9%, delay: 5ms, frameLoss: 0.01%, delayVariation: 1ms } }
        demand:
          - id: line
            buyer: ENTERPRISE
            seller: ACCESS
            kind: inquiry
            items: [{ id: access, offering: EPL, place: PARIS-1, bandwidthMbps: 100 }]
            order: { after: 1h, term: 10d, endOfTermAction: autoRenew, reports: { every: 30d } }
        runFor: 35d
        """

    @Test("PDL-114 a 30-day reporting interval on a 10-day service is calculated every 10 days")
    func intervalWithinTerm() throws {
        let plan = try SimulationPlan(
            ScenarioLoader.parse(Self.scenario), directory: URL(fileURLWithPath: NSTemporaryDirectory()))
        let result = try Simulator(plan: plan).run()
        let reports = try #require(result.demands.first?.order?.reports)
        #expect(reports.count >= 3)
        for report in reports {
            let from = try #require(MEFDateTime(text: report.from))
            let to = try #require(MEFDateTime(text: report.to))
            #expect(Instant(to.date) - Instant(from.date) == .days(10), "\(report.from) to \(report.to)")
        }
    }
}
