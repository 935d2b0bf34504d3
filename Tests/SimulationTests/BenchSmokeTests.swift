import ScenarioModel
import SupplyChain
import Testing

@testable import Simulation

struct BenchSmokeTests {
    @Test("a generated ecosystem runs to the end: every retail POQ gets a READY answer along a 3-8 hop chain")
    func generatedEcosystem() throws {
        let plan = try EcosystemGenerator.plan(.init(providers: 60, requests: 40, chains: 30), seed: 5)
        let result = try Simulator(plan: plan).run()
        #expect(result.demands.allSatisfy { $0.state == "READY" })
        let lengths = result.demands.flatMap(\.items).map(\.path.count)
        #expect(lengths.allSatisfy { (3...8).contains($0) }, "\(lengths)")
        #expect(result.demands.allSatisfy { $0.confidence == "green" })
        #expect(result.auditFindings.isEmpty)
    }

    @Test("a scaling series runs the same market at each size, smallest first, each with its own figures")
    func scalingSeries() throws {
        let results = try SimulationBenchmark.scaling(
            .init(providers: 12, requests: 1, chains: 8, spacing: .seconds(1)), sizes: [24, 6], seed: 3)
        try #require(results.count == 2)
        #expect(results.map(\.requests) == [6, 24])
        #expect(results.map(\.answered) == [6, 24])
        #expect(results[1].ledgerEntries > results[0].ledgerEntries)
        #expect(results.allSatisfy { $0.peakMemoryBytes > 0 && $0.peakPendingEvents > 0 })
        // One crypto measurement serves the whole series.
        #expect(results[0].signPerSecond == results[1].signPerSecond)
        #expect(SimulationBenchmark.scalingReport(results).contains("open at most"))
    }
}
