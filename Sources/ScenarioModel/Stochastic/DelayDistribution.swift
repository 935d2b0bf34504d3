import Foundation
import SupplyChain

/// How long a provider holds each message it sends, drawn afresh for each message from the run's seed.
public enum DelayDistribution: Sendable, Hashable {
    case fixed(TimeSpan)
    /// Every millisecond from the first to the second equally likely.
    case uniform(TimeSpan, TimeSpan)
    /// Exponential with this mean, cut at `cap` (a delay drawn above the cap is the cap).
    case exponential(mean: TimeSpan, cap: TimeSpan)

    /// One delay, drawing from `entropy` (no draw for a fixed delay).
    public func draw(using entropy: inout SeededEntropy) -> TimeSpan {
        switch self {
        case .fixed(let span):
            return span
        case .uniform(let low, let high):
            return TimeSpan(milliseconds: Int64.random(in: low.milliseconds...high.milliseconds, using: &entropy))
        case .exponential(let mean, let cap):
            let unit = StochasticStream.unitInterval(&entropy)
            let drawn = -log(1 - unit) * Double(mean.milliseconds)
            guard drawn.isFinite, drawn < Double(cap.milliseconds) else { return cap }
            return TimeSpan(milliseconds: Int64(drawn.rounded()))
        }
    }

    /// Checks a scenario's `delay`; nil when it gives nothing.
    static func parse(_ spec: Scenario.DelaySpec?, path: String) throws -> DelayDistribution? {
        guard let spec else { return nil }
        let given = [spec.fixed != nil, spec.uniform != nil, spec.exponential != nil].filter { $0 }.count
        guard given == 1 else {
            throw ScenarioError(
                path: path, message: "give exactly one of fixed: 2s, uniform: [1s, 5s], exponential: 2m (with cap)")
        }
        if spec.cap != nil && spec.exponential == nil {
            throw ScenarioError(path: "\(path).cap", message: "cap bounds an exponential delay only")
        }
        if let fixed = try SimulationPlan.duration(spec.fixed, path: "\(path).fixed") { return .fixed(fixed) }
        if let bounds = spec.uniform {
            guard bounds.count == 2, let low = try SimulationPlan.duration(bounds[0], path: "\(path).uniform[0]"),
                let high = try SimulationPlan.duration(bounds[1], path: "\(path).uniform[1]"), low <= high
            else {
                throw ScenarioError(path: "\(path).uniform", message: "give [shortest, longest], shortest first")
            }
            return .uniform(low, high)
        }
        guard let mean = try SimulationPlan.duration(spec.exponential, path: "\(path).exponential"), mean > .zero
        else {
            throw ScenarioError(path: "\(path).exponential", message: "the mean of an exponential delay is positive")
        }
        let cap =
            try SimulationPlan.duration(spec.cap, path: "\(path).cap") ?? TimeSpan(milliseconds: mean.milliseconds * 10)
        guard cap >= mean else {
            throw ScenarioError(path: "\(path).cap", message: "the cap is at least the mean")
        }
        return .exponential(mean: mean, cap: cap)
    }
}
