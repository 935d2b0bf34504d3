import Ledger
import SupplyChain

extension SimulationPlan {
    /// A retail buyer's on-demand report request.
    public struct ReportRequestPlan: Sendable, Hashable {
        public let at: TimeSpan
        public let demand: String
        public let from: TimeSpan
        public let to: TimeSpan
        public let within: TimeSpan
    }

    static func metrics(
        _ spec: Scenario.MetricsSpec?, path: String, defaults: PerformanceMetrics? = nil
    ) throws
        -> PerformanceMetrics?
    {
        guard let spec else { return nil }
        func ratio(_ text: String?, _ field: String, _ fallback: Int64) throws -> Int64 {
            guard let text else { return fallback }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasSuffix("%"), let value = Double(trimmed.dropLast()), (0...100).contains(value),
                let ppm = Int64(roundingExactly: value * 10_000)
            else {
                throw ScenarioError(path: "\(path).\(field)", message: "'\(text)' is not a percentage (99.9%)")
            }
            return ppm
        }
        func delay(_ text: String?, _ field: String, _ fallback: Int64) throws -> Int64 {
            guard let text else { return fallback }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            for (suffix, factor) in [("us", 1.0), ("ms", 1_000.0), ("s", 1_000_000.0)] where trimmed.hasSuffix(suffix) {
                if let value = Double(trimmed.dropLast(suffix.count)), value >= 0,
                    let micros = Int64(roundingExactly: value * factor),
                    micros <= PerformanceMetrics.longestDelayMicros
                {
                    return micros
                }
            }
            throw ScenarioError(
                path: "\(path).\(field)", message: "'\(text)' is not a delay from 0 to a day (500us, 5ms)")
        }
        let base =
            defaults
            ?? PerformanceMetrics(
                availabilityPPM: 1_000_000, delayMicros: 0, frameLossPPM: 0, delayVariationMicros: 0)
        return PerformanceMetrics(
            availabilityPPM: try ratio(spec.availability, "availability", base.availabilityPPM),
            delayMicros: try delay(spec.delay, "delay", base.delayMicros),
            frameLossPPM: try ratio(spec.frameLoss, "frameLoss", base.frameLossPPM),
            delayVariationMicros: try delay(spec.delayVariation, "delayVariation", base.delayVariationMicros))
    }

    static func reportRequestPlans(
        _ specs: [Scenario.ReportRequestSpec], demands: [Demand]
    ) throws
        -> [ReportRequestPlan]
    {
        try specs.enumerated().map { index, spec in
            let path = "reportRequests[\(index)]"
            guard let demand = demands.first(where: { $0.id == spec.demand }) else {
                throw ScenarioError(
                    path: "\(path).demand", message: "'\(spec.demand)' is not a demand id of this scenario")
            }
            guard demand.order != nil else {
                throw ScenarioError(
                    path: "\(path).demand", message: "'\(spec.demand)' orders nothing: a report needs a service")
            }
            let from = try duration(spec.from, path: "\(path).from") ?? .zero
            let to = try duration(spec.to, path: "\(path).to") ?? .zero
            guard from < to else {
                throw ScenarioError(path: "\(path).to", message: "the interval ends after it starts")
            }
            return ReportRequestPlan(
                at: try duration(spec.at, path: "\(path).at") ?? .zero, demand: spec.demand, from: from, to: to,
                within: try duration(spec.within, path: "\(path).within") ?? .hours(1))
        }
    }
}

extension PerformanceMetrics {
    /// Availability as people read it: `99.9722%` (four decimals, truncated).
    public var availabilityText: String {
        // One part per million is 0.0001 %.
        let fraction = String(availabilityPPM % 10_000 + 10_000).dropFirst()
        return "\(availabilityPPM / 10_000).\(fraction)%"
    }
}
