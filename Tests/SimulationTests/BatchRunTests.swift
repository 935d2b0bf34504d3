import Foundation
import Ledger
import ScenarioModel
import SupplyChain
import Testing

@testable import Simulation

/// Batches of runs with stochastic behaviour (`broker simulate --runs`), checked against cases worked by hand.
struct BatchRunTests {
    /// HUB buys DIA from CHEAP (cost 100) and DEAR (cost 200) with a 10 % markup. CHEAP ignores each request with
    /// probability 0.5; when it answers, HUB sells at 110 via CHEAP, otherwise at 220 via DEAR once CHEAP's window
    /// has passed.
    static let coin = """
        name: coin
        seed: 1
        defaults: { latency: 20ms, processingTime: 1s }
        providers:
          - { id: HUB, markup: 10%, sellers: [CHEAP, DEAR] }
          - id: CHEAP
            behaviour: { silence: 0.5 }
            catalog: [{ offering: DIA, cost: 100 }]
          - id: DEAR
            catalog: [{ offering: DIA, cost: 200 }]
        demand:
          - { id: d, buyer: SHOP, seller: HUB, kind: inquiry, completionWithin: 10m, items: [{ id: i, offering: DIA }] }
        """

    static func batch(_ text: String, runs: Int, firstSeed: UInt64) async throws -> BatchReport {
        try await BatchRunner.run(
            try ScenarioLoader.parse(text), directory: URL(fileURLWithPath: "."), runs: runs, firstSeed: firstSeed)
    }

    @Test("a seller silent with probability 0.5: over 40 seeds the share answered through it is its coin's count")
    func silentSellerShare() async throws {
        let report = try await Self.batch(Self.coin, runs: 40, firstSeed: 1)
        #expect(report.rows.count == 40)
        #expect(report.rows.map(\.seed) == Array(1...40))
        // The coin, tossed by hand: CHEAP's first draw of the run stream of each seed.
        var answeredByCheap = 0
        for seed in UInt64(1)...40 {
            var entropy = StochasticStream.entropy(seed: seed, party: "CHEAP", purpose: .run)
            if !StochasticStream.happens(0.5, &entropy) { answeredByCheap += 1 }
        }
        let viaCheap = report.rows.filter { $0.price == 110 }
        let viaDear = report.rows.filter { $0.price == 220 }
        #expect(viaCheap.count == answeredByCheap)
        // Seeds 1 to 40 toss CHEAP's coin 14 times "answer" and 26 times "silent".
        #expect(viaCheap.count == 14)
        #expect(viaDear.count == 26)
        // Binomial(40, 0.5): mean 20, standard deviation √10 ≈ 3.2; 14 is within three of them (−1.9).
        #expect((11...29).contains(viaCheap.count))
        // Every request is answered READY and green within its window, through two providers.
        let overall = report.overall
        #expect(overall.samples == 40)
        #expect(overall.readyGreenInWindow == 40)
        #expect(overall.share == 1)
        #expect(overall.hops == ["2": 40])
        // Nearest-rank quantiles of 14 × 110 and 26 × 220: the 4th of 40 (p10) is 110, the 20th (p50) and the 36th
        // (p90) are 220.
        #expect(overall.price?.p10 == 110)
        #expect(overall.price?.p50 == 220)
        #expect(overall.price?.p90 == 220)
        #expect(overall.price?.min == 110 && overall.price?.max == 220)
        // HUB, CHEAP and DEAR are each sent the request, whether CHEAP answers or not.
        #expect(overall.requestsPerRequest == 3)
        #expect(report.rows.allSatisfy { $0.requests == 3 })
        // A silent CHEAP leaves its request unanswered: fewer entries, and the answer waits for its window.
        let cheapEntries = Set(viaCheap.map(\.ledgerEntries))
        let dearEntries = Set(viaDear.map(\.ledgerEntries))
        #expect(cheapEntries.count == 1 && dearEntries.count == 1)
        #expect(cheapEntries.first! > dearEntries.first!)
        let slowestCheap = viaCheap.compactMap(\.answerMillis).max() ?? .max
        let fastestDear = viaDear.compactMap(\.answerMillis).min() ?? 0
        #expect(slowestCheap < fastestDear)
    }

    @Test("a seller's delay drawn from uniform [1s, 5s] on each message: each run's answer comes 1 to 10 s later")
    func drawnDelay() async throws {
        let scenario = """
            name: drawn
            defaults: { latency: 20ms, processingTime: 1s }
            providers:
              - { id: HUB, markup: 10%, sellers: [FAR] }
              - id: FAR
                behaviour: BEHAVIOUR
                catalog: [{ offering: DIA, cost: 100 }]
            demand:
              - { id: d, buyer: SHOP, seller: HUB, kind: inquiry, completionWithin: 10m, items: [{ id: i, offering: DIA }] }
            """
        let fixed = try await Self.batch(
            scenario.replacingOccurrences(of: "BEHAVIOUR", with: "{}"), runs: 1, firstSeed: 1)
        let drawn = try await Self.batch(
            scenario.replacingOccurrences(of: "BEHAVIOUR", with: "{ delay: { uniform: [1s, 5s] } }"), runs: 12,
            firstSeed: 1)
        let base = try #require(fixed.rows.first?.answerMillis)
        let extra = drawn.rows.compactMap(\.answerMillis).map { $0 - base }
        #expect(extra.count == 12)
        // FAR's acknowledgement and answer each wait 1 to 5 s; the answer never overtakes the acknowledgement, so
        // the retail answer is 1 to 10 s later than without the delay, and the seeds do not all draw alike.
        #expect(extra.allSatisfy { (1_000...10_000).contains($0) }, "\(extra)")
        #expect(Set(extra).count > 1)
        #expect(drawn.rows.allSatisfy { $0.price == 110 && $0.readyGreenInWindow })
    }

    @Test("the same scenario, runs and first seed give the same rows, whatever the order runs finish in")
    func batchesAreReproducible() async throws {
        let first = try await Self.batch(Self.coin, runs: 6, firstSeed: 100)
        let second = try await BatchRunner.run(
            try ScenarioLoader.parse(Self.coin), directory: URL(fileURLWithPath: "."), runs: 6, firstSeed: 100,
            parallelism: 1)
        #expect(first.rows == second.rows)
        #expect(first.csv == second.csv)
    }

    @Test("a stochastic run is reproducible: same scenario and seed, same ledger head hashes")
    func stochasticRunIsReproducible() throws {
        let text = Self.coin.replacingOccurrences(
            of: "catalog: [{ offering: DIA, cost: 200 }]",
            with: "behaviour: { delay: { exponential: 2s, cap: 20s } }\n    catalog: [{ offering: DIA, cost: 200 }]")
        let plan = try SimulationPlan(ScenarioLoader.parse(text), directory: URL(fileURLWithPath: "."))
        let first = try Simulator(plan: plan).run()
        let second = try Simulator(plan: plan).run()
        #expect(first.ledgers.map(\.head) == second.ledgers.map(\.head))
        #expect(first.demands.map(\.answeredAt) == second.demands.map(\.answeredAt))
        #expect(first.auditFindings.isEmpty)
    }

    @Test("a generated tiered market passes the simulator: every request answered, every ledger clean")
    func generatedMarketRuns() throws {
        var parameters = EcosystemGenerator.Parameters()
        parameters.topology = .tiers([2, 3, 3], sellersPerProvider: 2, peerShare: 0.3)
        parameters.demands = 4
        let text = try EcosystemGenerator.yaml(parameters, seed: 11)
        let plan = try SimulationPlan(ScenarioLoader.parse(text), directory: URL(fileURLWithPath: "."))
        #expect(plan.providers.count == 8)
        let result = try Simulator(plan: plan).run()
        #expect(result.demands.count == 4)
        #expect(result.demands.allSatisfy { $0.state != nil })
        #expect(result.auditFindings.isEmpty)
    }

    @Test("a batch says which expectations its runs could not check instead of counting them as met")
    func uncheckedExpectationsNamed() async throws {
        let (scenario, directory) = try ScenarioLoader.load("five-hop-chain")
        let report = try await BatchRunner.run(scenario, directory: directory, runs: 2, firstSeed: 1)
        #expect(report.expectationsNotChecked == ["ledgers clean"])
        #expect(
            report.summary.contains(
                "2 of 2 runs met every expectation checked (not checked: ledgers clean; runs keeping only ledger heads "
                    + "are not audited: add --ledgers entries)"
            ))
    }

    @Test("a batch that keeps every entry audits each run and checks ledgers clean in every one")
    func auditedBatch() async throws {
        let (scenario, directory) = try ScenarioLoader.load("five-hop-chain")
        let report = try await BatchRunner.run(scenario, directory: directory, runs: 2, firstSeed: 1, ledgers: .entries)
        #expect(report.expectationsNotChecked.isEmpty)
        #expect(report.runsMeetingExpectations == 2)
        #expect(report.summary.contains("not checked") == false)
    }
}
