import Foundation
import Testing

@testable import ScenarioModel

struct GeneratorTests {
    static var small: EcosystemGenerator.Parameters {
        var parameters = EcosystemGenerator.Parameters()
        parameters.topology = .tiers([2, 3, 4], sellersPerProvider: 2, peerShare: 0.5)
        parameters.demands = 6
        parameters.inquiryShare = 0.5
        parameters.slowTier = 1
        return parameters
    }

    @Test("the same parameters and seed write the same bytes; another seed writes another market")
    func seeded() throws {
        let first = try EcosystemGenerator.yaml(Self.small, seed: 7)
        let again = try EcosystemGenerator.yaml(Self.small, seed: 7)
        let other = try EcosystemGenerator.yaml(Self.small, seed: 8)
        #expect(Data(first.utf8) == Data(again.utf8))
        #expect(first != other)
    }

    @Test("a generated file is a valid scenario: tiers, sellers from the tier below, catalogs at the bottom")
    func generatedFilePlans() throws {
        let text = try EcosystemGenerator.yaml(Self.small, seed: 7)
        let scenario = try ScenarioLoader.parse(text)
        let plan = try SimulationPlan(scenario, directory: URL(fileURLWithPath: "."))
        #expect(
            plan.providers.map(\.party.rawValue) == [
                "T0-0", "T0-1", "T1-0", "T1-1", "T1-2", "T2-0", "T2-1", "T2-2", "T2-3",
            ])
        #expect(plan.demands.count == 6)
        #expect(plan.demands.allSatisfy { $0.seller.rawValue.hasPrefix("T0-") })
        // Only the lowest tier has a catalog: two offerings each.
        #expect(
            plan.providers.filter { !$0.catalog.isEmpty }.map(\.party.rawValue) == ["T2-0", "T2-1", "T2-2", "T2-3"])
        #expect(plan.providers.allSatisfy { $0.catalog.isEmpty || $0.catalog.count == 2 })
        // Tier 1 is slow: a drawn delay on everything it sends.
        #expect(plan.behaviours["T1-0"]?.delayDistribution == .exponential(mean: .minutes(20), cap: .hours(2)))
        #expect(plan.behaviours["T0-0"]?.delayDistribution == nil)
        #expect(text.contains("kind: inquiry") && text.contains("kind: poq"))
    }

    @Test("the benchmark preset writes the benchmarks' routes: one offering per route, each hop limited to it")
    func benchmarkPreset() throws {
        let shape = EcosystemGenerator.Shape(providers: 12, requests: 5, chains: 4, minHops: 3, maxHops: 3)
        let text = try EcosystemGenerator.yaml(.benchmark(shape), seed: 2)
        #expect(text.contains("name: generated-12-providers"))
        #expect(text.contains("offerings: [OFFER-0]"))
        let plan = try EcosystemGenerator.plan(shape, seed: 2)
        #expect(plan.providers.count == 12)
        #expect(plan.demands.count == 5)
        #expect(plan.demands.map(\.at.milliseconds) == [0, 10, 20, 30, 40])
    }

    @Test("the README's 200-provider market: tiers of 10, 40, 70 and 80, tier 2's 70 providers slow")
    func readmeMarket() throws {
        var parameters = EcosystemGenerator.Parameters()
        parameters.topology = .tiers([10, 40, 70, 80], sellersPerProvider: 3, peerShare: 0.05)
        parameters.demands = 10
        parameters.ratePerHour = 20
        parameters.slowTier = 2
        let plan = try SimulationPlan(
            ScenarioLoader.parse(try EcosystemGenerator.yaml(parameters, seed: 1)), directory: URL(fileURLWithPath: ".")
        )
        #expect(plan.providers.count == 200)
        #expect(plan.demands.count == 10)
        let slow = plan.behaviours.filter { $0.value.delayDistribution != nil }.keys.map(\.rawValue)
        #expect(slow.count == 70 && slow.allSatisfy { $0.hasPrefix("T2-") })
        #expect(plan.providers.filter { !$0.catalog.isEmpty }.count == 80)
    }

    @Test("bad parameters name the option")
    func badParameters() {
        var parameters = Self.small
        parameters.topology = .tiers([2, 0], sellersPerProvider: 2, peerShare: 0.5)
        #expect(throws: ScenarioError(path: "--tiers", message: "give positive tier sizes: 10,40,70,80")) {
            try EcosystemGenerator.yaml(parameters, seed: 1)
        }
        parameters = Self.small
        parameters.slowTier = 3
        #expect(throws: ScenarioError(path: "--slow-tier", message: "a tier from 0 to 2")) {
            try EcosystemGenerator.yaml(parameters, seed: 1)
        }
    }
}
