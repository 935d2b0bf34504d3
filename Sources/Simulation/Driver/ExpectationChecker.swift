/// Checks a scenario's `expect:` clauses against a run's outcome.
enum ExpectationChecker {
    static func check(
        _ expectations: [Scenario.Expectation], against result: SimulationResult
    ) -> [SimulationResult.ExpectationOutcome] {
        expectations.map { check($0, result) }
    }

    private static func check(
        _ expectation: Scenario.Expectation, _ result: SimulationResult
    ) -> SimulationResult.ExpectationOutcome {
        var problems: [String] = []
        var parts: [String] = []
        if let demandID = expectation.demand {
            guard let demand = result.demands.first(where: { $0.id == demandID }) else {
                return .init(expectation: "demand \(demandID)", passed: false, detail: "no such demand")
            }
            parts.append("demand \(demandID)")
            if let state = expectation.state {
                parts.append("state \(state)")
                if demand.state != state { problems.append("state is \(demand.state ?? "none (no answer)")") }
            }
            var item = demand.items.first
            if let itemID = expectation.item {
                parts.append("item \(itemID)")
                item = demand.items.first { $0.id == itemID }
                if item == nil { problems.append("no answer for item \(itemID)") }
            }
            if let itemState = expectation.itemState {
                parts.append("item state \(itemState)")
                if item?.state != itemState { problems.append("item state is \(item?.state ?? "none")") }
            }
            if let confidence = expectation.confidence {
                parts.append("confidence \(confidence)")
                let actual = expectation.item != nil ? item?.confidence : demand.confidence
                if actual != confidence { problems.append("confidence is \(actual ?? "none")") }
            }
            if let price = expectation.price {
                parts.append("price \(price)")
                let actual = expectation.item != nil ? item?.price : demand.totalPrice
                if actual.map({ abs($0 - price) > 0.005 }) ?? true {
                    problems.append("price is \(actual.map { "\($0)" } ?? "none")")
                }
            }
            if let path = expectation.path {
                parts.append("path \(path.joined(separator: "→"))")
                if item?.path != path { problems.append("path is \(item?.path.joined(separator: "→") ?? "none")") }
            }
            if let alternates = expectation.alternates {
                parts.append("\(alternates) alternate(s)")
                if item?.alternates != alternates { problems.append("\(item?.alternates ?? 0) alternate(s)") }
            }
            if let notifications = expectation.notifications {
                parts.append("\(notifications) notification(s)")
                if demand.notifications != notifications { problems.append("\(demand.notifications) notification(s)") }
            }
        }
        if let party = expectation.party {
            let count = expectation.requestsReceived ?? 0
            let scope = expectation.demand.map { " for \($0)" } ?? ""
            parts.append("\(party) receives \(count) request(s)\(scope)")
            let received = result.requestsReceived[party] ?? [:]
            let actual = expectation.demand.map { received[$0] ?? 0 } ?? received.values.reduce(0, +)
            if actual != count { problems.append("\(party) received \(actual)") }
        }
        if expectation.ledgers != nil {
            parts.append("ledgers clean")
            if !result.auditFindings.isEmpty { problems.append("\(result.auditFindings.count) audit finding(s)") }
        }
        return .init(
            expectation: parts.joined(separator: ", "), passed: problems.isEmpty,
            detail: problems.joined(separator: "; "))
    }
}
