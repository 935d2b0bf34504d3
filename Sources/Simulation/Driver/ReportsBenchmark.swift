import Foundation
import Ledger
import ScenarioModel
import SupplyChain

/// The reports benchmark: a generated ecosystem whose retail services are reported on daily at every hop of their
/// chains, ledgers written to SQLite, reported beside the crypto bound measured in the same run (every ledger entry
/// costs two Ed25519 signatures and two verifications, DESIGN.md §7).
public enum ReportsBenchmark {
    public struct Result: Sendable, Encodable {
        public let providers: Int
        public let days: Int
        /// Retail services ordered, and those activated (the ones reported on).
        public let servicesOrdered: Int
        public let services: Int
        /// Providers along every active service's chain, summed (each one reports to its buyer).
        public let hops: Int
        /// Scheduled reports the retail buyers received, and how many of them had an element missing.
        public let reportsToRetail: Int
        /// The fewest and the most scheduled reports any one active service's retail buyer received.
        public let fewestReportsPerService: Int
        public let mostReportsPerService: Int
        public let reportsWithMissingElements: Int
        /// `report.delivered` entries on all ledgers: one for every report a seller delivered, at every hop.
        public let reportsDelivered: Int
        /// `sof.measured` entries: the SOFs' measurements of their own elements.
        public let measurements: Int
        public let ledgerEntries: Int
        public let ledgers: Int
        /// Wall time of the run: simulation, signing, countersigning, verifying and writing the SQLite files.
        public let seconds: Double
        public let signPerSecond: Double
        public let verifyPerSecond: Double
        public let peakMemoryBytes: Int
        public let cores: Int
        public let directory: String
        /// Audit findings when the ledgers were audited after the run (`nil`: not audited), and the audit's time.
        public let auditFindings: [String]?
        public let auditSeconds: Double?

        public var entriesPerSecond: Double { Double(ledgerEntries) / seconds }
        public var reportsPerSecond: Double { Double(reportsDelivered) / seconds }
        /// Agreed entries per second one core could sign, countersign and verify, and nothing else.
        public var cryptoBound: Double { 1 / (2 / signPerSecond + 2 / verifyPerSecond) }
        /// Delivered reports per second the crypto bound of all cores allows, with this run's entries per report.
        public var reportsBound: Double {
            cryptoBound * Double(cores) * Double(reportsDelivered) / Double(max(1, ledgerEntries))
        }

        public var report: String {
            func number(_ value: Double) -> String { String(format: "%.0f", value) }
            let allCores = cryptoBound * Double(cores)
            var lines = """
                reports: \(providers) providers, \(services) of \(servicesOrdered) retail services active, \(hops) hops (\(String(format: "%.2f", Double(hops) / Double(max(1, services)))) per service), \(days) days of daily reports
                  reports delivered    \(reportsDelivered) report.delivered entries, \(reportsToRetail) reached the retail buyers (\(fewestReportsPerService) to \(mostReportsPerService) per service, \(reportsWithMissingElements) with an element missing)
                  SOF measurements     \(measurements) sof.measured entries
                  ledger entries       \(ledgerEntries) agreed entries on \(ledgers) ledgers (SQLite, \(directory))
                  wall time            \(String(format: "%.2f", seconds)) s
                  entries/s            \(number(entriesPerSecond)) — bound \(number(cryptoBound)) on one core, \(number(allCores)) on \(cores) (\(number(entriesPerSecond / allCores * 100)) % of it)
                  reports/s            \(number(reportsPerSecond)) — bound \(number(reportsBound)) on \(cores) cores at this run's \(String(format: "%.2f", Double(ledgerEntries) / Double(max(1, reportsDelivered)))) entries per report
                  crypto bound         1/(2·t_sign + 2·t_verify), one core: sign \(number(signPerSecond))/s, verify \(number(verifyPerSecond))/s
                  peak memory          \(number(Double(peakMemoryBytes) / 1_048_576)) MiB
                """
            if let auditFindings, let auditSeconds {
                lines +=
                    "\n  audit                \(auditFindings.isEmpty ? "clean" : "\(auditFindings.count) findings"), "
                    + "\(String(format: "%.2f", auditSeconds)) s"
            }
            return lines
        }
    }

    /// Generates the ecosystem with `days` of daily reports, runs it with one SQLite file per party in `directory`,
    /// and measures Ed25519 sign and verify rates on one core; `audit` then audits every ledger's two copies.
    public static func run(
        _ shape: EcosystemGenerator.Shape, seed: UInt64 = 1, directory: URL, audit: Bool = false
    ) throws -> Result {
        let (signRate, verifyRate) = try SimulationBenchmark.measureCrypto()
        let days = shape.reportingDays ?? 1
        var shape = shape
        shape.reportingDays = days
        let plan = try EcosystemGenerator.plan(shape, seed: seed)
        let clock = ContinuousClock()
        let begin = clock.now
        // Thousands of parties' files: small commits, so that the buffers do not hold the year's entries.
        let simulator = try Simulator(plan: plan, ledgerDirectory: directory, audit: false, ledgerBatchSize: 32)
        let result = try simulator.run()
        let seconds = SimulationBenchmark.seconds(clock.now - begin)
        var auditFindings: [String]?
        var auditSeconds: Double?
        if audit {
            let auditBegin = clock.now
            auditFindings = try simulator.auditLedgers()
            auditSeconds = SimulationBenchmark.seconds(clock.now - auditBegin)
        }
        let active = result.demands.compactMap(\.order).filter { $0.state == "ACTIVATED" }
        let scheduled = active.flatMap(\.reports).filter(\.scheduled)
        let perService = active.map { $0.reports.filter(\.scheduled).count }
        return Result(
            providers: shape.providers, days: days, servicesOrdered: result.demands.count, services: active.count,
            hops: active.reduce(0) { $0 + $1.serviceStates.count }, reportsToRetail: scheduled.count,
            fewestReportsPerService: perService.min() ?? 0, mostReportsPerService: perService.max() ?? 0,
            reportsWithMissingElements: scheduled.filter { !$0.missing.isEmpty }.count,
            reportsDelivered: simulator.recordedKinds[LedgerKind.reportDelivered.rawValue] ?? 0,
            measurements: simulator.recordedKinds[LedgerKind.sofMeasured.rawValue] ?? 0,
            ledgerEntries: result.ledgers.reduce(0) { $0 + Int($1.entries) }, ledgers: result.ledgers.count,
            seconds: seconds, signPerSecond: signRate, verifyPerSecond: verifyRate,
            peakMemoryBytes: SimulationBenchmark.peakMemory(), cores: ProcessInfo.processInfo.activeProcessorCount,
            directory: directory.path, auditFindings: auditFindings, auditSeconds: auditSeconds)
    }
}
