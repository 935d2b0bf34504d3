import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

struct ReportsBenchmarkTests {
    @Test(
        "the reports benchmark on a tiny ecosystem: 4 services on 3-hop chains, 7 days, every report delivered at every hop"
    )
    func tinyWeekOfDailyReports() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reports-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let shape = EcosystemGenerator.Shape(
            providers: 10, requests: 4, chains: 4, minHops: 3, maxHops: 3, reportingDays: 7)
        let result = try ReportsBenchmark.run(shape, seed: 3, directory: directory, audit: true)

        #expect(result.servicesOrdered == 4)
        #expect(result.services == 4)
        #expect(result.hops == 12)
        // Each retail buyer got one scheduled report a day on its service, none with an element missing.
        #expect(result.reportsToRetail == 28)
        #expect(result.fewestReportsPerService == 7 && result.mostReportsPerService == 7)
        #expect(result.reportsWithMissingElements == 0)
        // 4 services × 3 providers on each chain × 7 days: every provider delivers its report to its buyer daily.
        #expect(result.reportsDelivered == 84)
        // 4 services × 7 days: the last provider's SOF measures its own element.
        #expect(result.measurements == 28)
        #expect(result.auditFindings == [])

        // The entries are in the SQLite files: each ledger has two copies, one in each party's file.
        var delivered = 0
        var measured = 0
        let all = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let files = all.filter { $0.hasSuffix(".sqlite") && !$0.hasSuffix(".omni.sqlite") }
        for file in files {
            let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent(file).path)
            for ledger in try store.ledgerIDs() {
                let kinds = try store.entries(of: ledger).map(\.kind)
                delivered += kinds.filter { $0 == "report.delivered" }.count
                measured += kinds.filter { $0 == "sof.measured" }.count
            }
        }
        #expect(delivered == 2 * 84)
        #expect(measured == 2 * 28)
        // Every provider that delivered reports published its reputation once (a month's cadence, a week's run),
        // countersigned by the buyers holding its records.
        let omniFiles = all.filter { $0.hasSuffix(".omni.sqlite") }
        #expect(!omniFiles.isEmpty)
        for file in omniFiles {
            let omni = try #require(try OmniLedger(readOnlyPath: directory.appendingPathComponent(file).path))
            #expect(omni.size == 1, "\(file)")
            let verdicts = try omni.verdicts()
            #expect(!verdicts.isEmpty && verdicts.allSatisfy(\.isEndorsement), "\(file)")
        }
        #expect(result.signPerSecond > 0 && result.verifyPerSecond > 0)
    }

    @Test("the crypto rates are measured for a fixed time, so a debug build measures them in about a second")
    func cryptoMeasurementIsBounded() throws {
        let clock = ContinuousClock()
        let begin = clock.now
        let (sign, verify) = try SimulationBenchmark.measureCrypto(budget: 0.05)
        #expect(clock.now - begin < .seconds(5))
        #expect(sign > 0 && verify > 0)
    }

    @Test("a generated ecosystem whose routes take every provider builds without hanging (no rival is left)")
    func everyProviderOnOneRoute() throws {
        let plan = try EcosystemGenerator.plan(
            .init(providers: 8, requests: 16, chains: 16, minHops: 8, maxHops: 8), seed: 1)
        #expect(plan.providers.count == 8)
        #expect(plan.demands.count == 16)
    }
}
