import ScenarioModel
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
}
