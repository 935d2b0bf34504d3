import Foundation
import Ledger
import SupplyChain

extension SimulationPlan {
    /// Checks a scenario's `contracts:` and builds them, each with its field path on error: parties that trade,
    /// one contract per seller and buyer, terms "AxB", a known payment method, a threshold that is not negative.
    static func contracts(
        _ specs: [Scenario.ContractSpec], providers: Set<String>, buyers: Set<String>, currency: String,
        anchor: Instant
    ) throws -> [TradingContract] {
        var contracts: [TradingContract] = []
        var seen: Set<[String]> = []
        for (index, spec) in specs.enumerated() {
            let path = "contracts[\(index)]"
            guard providers.contains(spec.seller) else {
                throw ScenarioError(
                    path: "\(path).seller", message: "'\(spec.seller)' is not a provider of this scenario")
            }
            guard providers.contains(spec.buyer) || buyers.contains(spec.buyer) else {
                throw ScenarioError(
                    path: "\(path).buyer", message: "'\(spec.buyer)' is neither a provider nor a retail buyer here")
            }
            guard spec.buyer != spec.seller else {
                throw ScenarioError(path: "\(path).buyer", message: "a provider does not invoice itself")
            }
            guard seen.insert([spec.seller, spec.buyer]).inserted else {
                throw ScenarioError(
                    path: path, message: "\(spec.seller) already has a contract with \(spec.buyer) in this file")
            }
            let contractCurrency = spec.currency ?? currency
            guard contractCurrency.count == 3, contractCurrency.allSatisfy({ $0.isUppercase && $0.isLetter }) else {
                throw ScenarioError(
                    path: "\(path).currency", message: "'\(contractCurrency)' is not an ISO 4217 code (EUR, USD)")
            }
            var terms = PaymentTerms.standard
            if let text = spec.paymentTerms {
                guard let parsed = PaymentTerms(parsing: text) else {
                    throw ScenarioError(
                        path: "\(path).paymentTerms",
                        message: "'\(text)' is not AxB: an A-day cycle (1-366), payment due B days after (0-366)")
                }
                terms = parsed
            }
            var method = PaymentMethod(kind: .fiat, asset: contractCurrency, network: nil)
            if let methodSpec = spec.paymentMethod {
                let kind =
                    try choice(methodSpec.kind, PaymentMethod.Kind.self, path: "\(path).paymentMethod.kind") ?? .fiat
                if kind != .fiat, methodSpec.asset == nil {
                    throw ScenarioError(
                        path: "\(path).paymentMethod.asset",
                        message: "a \(kind.rawValue) payment names its asset (USDC)")
                }
                method = PaymentMethod(
                    kind: kind, asset: methodSpec.asset ?? contractCurrency, network: methodSpec.network)
            }
            var threshold = DisputeThreshold.exact
            if let thresholdSpec = spec.disputeThreshold {
                let absolute = thresholdSpec.absolute ?? 0
                guard (0...Money.largestAmount).contains(absolute) else {
                    throw ScenarioError(
                        path: "\(path).disputeThreshold.absolute",
                        message: "an amount from 0 to 1,000,000,000,000, not \(absolute)")
                }
                let relative =
                    try percentage(thresholdSpec.relative, path: "\(path).disputeThreshold.relative") ?? 0
                threshold = DisputeThreshold(
                    absoluteMinorUnits: Money(amount: absolute, currency: contractCurrency).minorUnits,
                    relativeBasisPoints: relative)
            }
            let delay = try duration(spec.paymentDelay, path: "\(path).paymentDelay") ?? .zero
            var manual: TradingContract.ManualResolution?
            if let text = spec.manualResolution {
                guard let value = TradingContract.ManualResolution(rawValue: text) else {
                    throw ScenarioError(
                        path: "\(path).manualResolution",
                        message:
                            "'\(text)' is not one of: \(TradingContract.ManualResolution.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                manual = value
            }
            var decisions: [TradingContract.ManualDecision] = []
            for (index, decision) in (spec.manualDecisions ?? []).enumerated() {
                let decisionPath = "\(path).manualDecisions[\(index)]"
                guard (0...100_000).contains(decision.cycle) else {
                    throw ScenarioError(
                        path: "\(decisionPath).cycle",
                        message: "a billing cycle from 0 to 100000, not \(decision.cycle)")
                }
                guard
                    let value = try choice(
                        decision.decision, TradingContract.ManualResolution.self, path: "\(decisionPath).decision")
                else { continue }
                decisions.append(
                    TradingContract.ManualDecision(
                        service: decision.service, cycle: decision.cycle, item: decision.item, decision: value))
            }
            var usageRate: Money?
            if let rate = spec.usageRate {
                guard (0...Money.largestAmount).contains(rate) else {
                    throw ScenarioError(
                        path: "\(path).usageRate", message: "an amount from 0 to 1,000,000,000,000, not \(rate)")
                }
                usageRate = Money(amount: rate, currency: contractCurrency)
            }
            contracts.append(
                TradingContract(
                    seller: PartyID(rawValue: spec.seller), buyer: PartyID(rawValue: spec.buyer),
                    currency: contractCurrency, terms: terms, paymentMethod: method, disputeThreshold: threshold,
                    netting: spec.netting ?? false, anchor: anchor, paymentDelay: delay, manualResolution: manual,
                    slaCreditBasisPointsPerHour: try percentage(spec.slaCreditPerHour, path: "\(path).slaCreditPerHour")
                        ?? 0,
                    slaCreditBasisPointsPerBreach: try percentage(
                        spec.slaCreditPerBreach, path: "\(path).slaCreditPerBreach") ?? 0,
                    tax: try spec.tax.map { tax in
                        InvoiceTax(
                            category: tax.category ?? "VAT",
                            basisPoints: try percentage(tax.rate, path: "\(path).tax.rate") ?? 0)
                    }, usageRate: usageRate, manualDecisions: decisions))
        }
        return contracts
    }
}
