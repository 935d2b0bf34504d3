import Foundation
import Testing

@testable import ScenarioModel

struct StochasticBehaviourTests {
    static func plan(_ behaviour: String, defaults: String = "", seed: UInt64 = 1) throws -> SimulationPlan {
        let text = """
            name: s
            defaults: { latency: 20ms\(defaults) }
            providers:
              - { id: A, sellers: [B] }
              - id: B
                behaviour: \(behaviour)
                catalog: [{ offering: X, cost: 1 }, { offering: Y, cost: 2 }, { offering: Z, cost: 3 }]
            demand: []
            """
        return try SimulationPlan(ScenarioLoader.parse(text), directory: URL(fileURLWithPath: "."), seedOverride: seed)
    }

    @Test(
        "a misspelt stochastic key is refused with its path and the closest key",
        arguments: [
            ("{ silense: 0.5 }", "providers[1].behaviour.silense", "silence"),
            ("{ activationFailur: 0.1 }", "providers[1].behaviour.activationFailur", "activationFailure"),
            ("{ delay: { exponental: 2m } }", "providers[1].behaviour.delay.exponental", "exponential"),
            ("{ capacity: { uniformm: [1, 2] } }", "providers[1].behaviour.capacity.uniformm", "uniform"),
        ])
    func misspeltKeys(behaviour: String, path: String, suggestion: String) {
        #expect(throws: ScenarioError(path: path, message: "unknown key; did you mean '\(suggestion)'?")) {
            try Self.plan(behaviour)
        }
    }

    @Test("a misspelt key under defaults.behaviour is refused too")
    func misspeltDefault() {
        #expect(
            throws: ScenarioError(
                path: "defaults.behaviour.silnce", message: "unknown key; did you mean 'silence'?")
        ) {
            try Self.plan("{}", defaults: ", behaviour: { silnce: 0.2 }")
        }
    }

    @Test(
        "bad values name their field",
        arguments: [
            ("{ silence: 1.5 }", "providers[1].behaviour.silence", "a probability from 0 to 1, not 1.5"),
            (
                "{ delay: { uniform: [5s, 1s] } }", "providers[1].behaviour.delay.uniform",
                "give [shortest, longest], shortest first"
            ),
            (
                "{ delay: { fixed: 1s, exponential: 2s } }", "providers[1].behaviour.delay",
                "give exactly one of fixed: 2s, uniform: [1s, 5s], exponential: 2m (with cap)"
            ),
            (
                "{ delay: { exponential: 2m, cap: 1m } }", "providers[1].behaviour.delay.cap",
                "the cap is at least the mean"
            ),
            (
                "{ capacity: { uniform: [3, 1] } }", "providers[1].behaviour.capacity.uniform",
                "give [least, most], 0 or more, least first"
            ),
        ])
    func badValues(behaviour: String, path: String, message: String) {
        #expect(throws: ScenarioError(path: path, message: message)) { try Self.plan(behaviour) }
    }

    @Test("a bad default names defaults.behaviour")
    func badDefault() {
        #expect(
            throws: ScenarioError(
                path: "defaults.behaviour.activationFailure", message: "a probability from 0 to 1, not 2.0")
        ) {
            try Self.plan("{}", defaults: ", behaviour: { activationFailure: 2 }")
        }
    }

    @Test("capacity and activation failures are drawn per run from the seed: same seed, same draws")
    func planDraws() throws {
        let behaviour = "{ capacity: { uniform: [1, 9] }, activationFailure: 0.5 }"
        let first = try Self.plan(behaviour, seed: 4)
        let again = try Self.plan(behaviour, seed: 4)
        let capacities = first.providers[1].catalog.map(\.capacity)
        #expect(capacities == again.providers[1].catalog.map(\.capacity))
        #expect(capacities.allSatisfy { (1...9).contains($0 ?? 0) })
        #expect(first.providers[1].catalog.map(\.activationFails) == again.providers[1].catalog.map(\.activationFails))
        // Certain outcomes draw nothing: probability 1 fails every offering, 0 none, a fixed capacity is itself.
        let certain = try Self.plan("{ capacity: 2, activationFailure: 1 }")
        #expect(certain.providers[1].catalog.map(\.capacity) == [2, 2, 2])
        #expect(certain.providers[1].catalog.allSatisfy { $0.activationFails })
        let never = try Self.plan("{ activationFailure: 0 }")
        #expect(never.providers[1].catalog.allSatisfy { !$0.activationFails })
    }

    @Test("defaults.behaviour applies to every provider; a provider's own key wins")
    func defaultsMerge() throws {
        let plan = try Self.plan(
            "{ silence: 0.25 }", defaults: ", behaviour: { silence: 0.5, delay: { uniform: [1s, 2s] } }")
        #expect(plan.behaviours["A"]?.silence == 0.5)
        #expect(plan.behaviours["B"]?.silence == 0.25)
        #expect(plan.behaviours["B"]?.delayDistribution == .uniform(.seconds(1), .seconds(2)))
        #expect(plan.behaviours["A"]?.delay == .zero)
    }

    @Test("an exponential delay is cut at its cap; a uniform one stays within its bounds")
    func delayDraws() {
        var entropy = StochasticStream.entropy(seed: 1, party: "B", purpose: .run)
        let capped = (0..<200).map { _ in
            DelayDistribution.exponential(mean: .seconds(10), cap: .seconds(15)).draw(using: &entropy)
        }
        #expect(capped.max() == .seconds(15))
        #expect(capped.min()! >= .zero)
        let uniform = (0..<200).map { _ in DelayDistribution.uniform(.seconds(1), .seconds(2)).draw(using: &entropy) }
        #expect(uniform.allSatisfy { $0 >= .seconds(1) && $0 <= .seconds(2) })
    }

    @Test("times to answer read short in the table")
    func elapsedText() {
        #expect(BatchReport.elapsed(412) == "412ms")
        #expect(BatchReport.elapsed(3_249) == "3.2s")
        #expect(BatchReport.elapsed(3_599_668) == "59m59s")
        #expect(BatchReport.elapsed(7_500_000) == "2h05m")
    }

    @Test("nearest-rank quantiles of 1 to 10: p10 is 1, p50 5, p90 9")
    func quantiles() throws {
        let quantiles = try #require(BatchReport.Quantiles(Array((1...10).map(Double.init).reversed())))
        #expect(quantiles.p10 == 1)
        #expect(quantiles.p50 == 5)
        #expect(quantiles.p90 == 9)
        #expect(quantiles.min == 1 && quantiles.max == 10)
        #expect(quantiles.mean == 5.5)
        #expect(BatchReport.Quantiles([]) == nil)
    }
}
