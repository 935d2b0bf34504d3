import Ledger
import SupplyChain

extension SimulationPlan {
    /// An element of a demand's service that fails at `at` (see `Scenario.FaultSpec`).
    public struct FaultPlan: Sendable, Hashable {
        public let at: TimeSpan
        public let demand: String
        public let itemID: String
        /// The provider whose own element fails; nil: the last provider on the element's path.
        public let provider: PartyID?
        /// Who finds it and acts at once: nil when only a buyer's ticket brings it to light.
        public let detectedBy: Detection
        public let inOperation: Bool
        public let decision: FaultDecision
        /// Decisions of providers above the faulty one (default: restore, following the seller's repair).
        public let decisions: [PartyID: FaultDecision]
        public let description: String

        public enum Detection: Sendable, Hashable {
            /// The faulty provider itself.
            case faultyProvider
            case provider(PartyID)
            /// Nobody: a buyer's ticket finds it.
            case none
        }
    }

    /// A retail buyer's trouble ticket on a demand's service.
    public struct TicketPlan: Sendable, Hashable {
        public let at: TimeSpan
        public let demand: String
        public let report: TicketReport
        /// Whether the buyer closes the ticket once it is resolved.
        public let close: Bool
    }

    static func faultPlans(
        _ specs: [Scenario.FaultSpec], demands: [Demand], providers: Set<String>
    ) throws -> [FaultPlan] {
        try specs.enumerated().map { index, spec in
            let path = "faults[\(index)]"
            let demand = try orderedDemand(spec.demand, demands: demands, path: "\(path).demand")
            let itemID = try element(spec.element, of: demand, path: "\(path).element")
            func party(_ id: String?, _ field: String) throws -> PartyID? {
                guard let id else { return nil }
                guard providers.contains(id) else {
                    throw ScenarioError(
                        path: "\(path).\(field)",
                        message:
                            "'\(id)' is not a provider of this scenario (known: \(providers.sorted().joined(separator: ", ")))"
                    )
                }
                return PartyID(rawValue: id)
            }
            let detection: FaultPlan.Detection
            switch spec.detectedBy {
            case nil: detection = .faultyProvider
            case "none": detection = .none
            case let id: detection = .provider(try party(id, "detectedBy")!)
            }
            let outage = try duration(spec.outage, path: "\(path).outage") ?? .zero
            let repairTime = try duration(spec.repairTime, path: "\(path).repairTime") ?? .hours(1)
            let decision = try faultDecision(
                spec.decision, outage: outage, repairTime: repairTime, path: "\(path).decision")
            var decisions: [PartyID: FaultDecision] = [:]
            for (provider, text) in (spec.decisions ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let party = try party(provider, "decisions.\(provider)") else { continue }
                decisions[party] = try faultDecision(
                    text, outage: .zero, repairTime: .zero, path: "\(path).decisions.\(provider)")
            }
            return FaultPlan(
                at: try duration(spec.at, path: "\(path).at") ?? .zero, demand: demand.id, itemID: itemID,
                provider: try party(spec.provider, "provider"), detectedBy: detection,
                inOperation: spec.inOperation ?? true, decision: decision, decisions: decisions,
                description: spec.description ?? "element \(itemID) of \(demand.id) failed")
        }
    }

    static func ticketPlans(_ specs: [Scenario.TicketSpec], demands: [Demand]) throws -> [TicketPlan] {
        try specs.enumerated().map { index, spec in
            let path = "tickets[\(index)]"
            let demand = try orderedDemand(spec.demand, demands: demands, path: "\(path).demand")
            let impact =
                try choice(spec.observedImpact, TicketReport.Impact.self, path: "\(path).observedImpact") ?? .down
            return TicketPlan(
                at: try duration(spec.at, path: "\(path).at") ?? .zero, demand: demand.id,
                report: TicketReport(
                    description: spec.description ?? "service of \(demand.id) is not working", observedImpact: impact),
                close: spec.close ?? true)
        }
    }

    /// The value of a closed set a scenario names by text, or nil when it names none; an unknown text is refused
    /// with the field's path and the values allowed.
    static func choice<Value: RawRepresentable & CaseIterable>(
        _ text: String?, _ type: Value.Type, path: String
    ) throws -> Value? where Value.RawValue == String {
        guard let text else { return nil }
        guard let value = Value(rawValue: text) else {
            throw ScenarioError(
                path: path,
                message: "'\(text)' is not one of: \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    private static func orderedDemand(_ id: String, demands: [Demand], path: String) throws -> Demand {
        guard let demand = demands.first(where: { $0.id == id }) else {
            throw ScenarioError(path: path, message: "'\(id)' is not a demand id of this scenario")
        }
        guard demand.order != nil else {
            throw ScenarioError(path: path, message: "'\(id)' orders nothing: a fault or ticket needs a service")
        }
        return demand
    }

    private static func element(_ id: String?, of demand: Demand, path: String) throws -> String {
        let items = (demand.payload["productOfferingQualificationItem"]?.arrayValue ?? []).compactMap {
            $0["id"]?.stringValue
        }
        guard let id else { return items.first ?? "" }
        guard items.contains(id) else {
            throw ScenarioError(
                path: path, message: "'\(id)' is not an item of \(demand.id) (items: \(items.joined(separator: ", ")))")
        }
        return id
    }

    private static func faultDecision(
        _ text: String?, outage: TimeSpan, repairTime: TimeSpan, path: String
    ) throws -> FaultDecision {
        switch text ?? "restore" {
        case "restore": return .restore(outage: outage, repairTime: repairTime)
        case "abandon": return .abandon
        case "ignore": return .ignore
        case let other:
            throw ScenarioError(path: path, message: "'\(other)' is not one of: restore, abandon, ignore")
        }
    }
}
