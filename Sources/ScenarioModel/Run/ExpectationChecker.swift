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
            let order = demand.order
            if let state = expectation.order {
                parts.append("order \(state)")
                if order?.state != state { problems.append("order is \(order?.state ?? "not placed or unanswered")") }
            }
            if let phrase = expectation.orderReason {
                parts.append("order reason mentions '\(phrase)'")
                if !(order?.reason?.contains(phrase) ?? false) {
                    problems.append("reason is \(order?.reason ?? "none")")
                }
            }
            if let path = expectation.servicePath {
                let itemID = expectation.item ?? demand.items.first?.id ?? ""
                parts.append("service path \(path.joined(separator: "→"))")
                let actual = order?.servicePaths[itemID]
                if actual != path { problems.append("service path is \(actual?.joined(separator: "→") ?? "none")") }
            }
            if let count = expectation.changesCompleted {
                parts.append("\(count) change(s) completed")
                if order?.changesCompleted != count { problems.append("\(order?.changesCompleted ?? 0) completed") }
            }
            if let prices = expectation.changePrices {
                parts.append("change prices \(prices)")
                if order?.changePrices != prices { problems.append("change prices \(order?.changePrices ?? [])") }
            }
            if let outages = expectation.outages {
                parts.append("outages \(outages)")
                if order?.outages != outages { problems.append("outages \(order?.outages ?? [])") }
            }
            if let terms = expectation.terms {
                parts.append("\(terms) term(s)")
                if order?.terms.count != terms { problems.append("\(order?.terms.count ?? 0) term(s)") }
            }
            if let state = expectation.ticket {
                parts.append("ticket \(state)")
                let actual = order?.tickets.last?.state
                if actual != state { problems.append("ticket is \(actual ?? "not opened")") }
            }
            if let phrase = expectation.ticketResolution {
                parts.append("ticket resolution mentions '\(phrase)'")
                let actual = order?.tickets.last?.resolution
                if !(actual?.contains(phrase) ?? false) { problems.append("resolution is \(actual ?? "none")") }
            }
            if let outages = expectation.faultOutages {
                parts.append("repair outages \(outages)")
                let actual = order?.faultOutages.map { String($0.prefix { $0 != " " }) } ?? []
                if actual != outages { problems.append("repair outages \(actual)") }
            }
            if let states = expectation.serviceStates {
                for (party, state) in states.sorted(by: { $0.key < $1.key }) {
                    parts.append("service at \(party) \(state)")
                    let actual = order?.serviceStates[party]
                    if actual != state { problems.append("service at \(party) is \(actual ?? "not there")") }
                }
            }
            if let count = expectation.reports {
                parts.append("\(count) performance report(s)")
                if order?.reports.count != count { problems.append("\(order?.reports.count ?? 0) report(s)") }
            }
            if let count = expectation.reportsMet {
                parts.append("\(count) report(s) meeting every objective")
                let actual = order?.reports.filter(\.allMet).count ?? 0
                if actual != count { problems.append("\(actual) met every objective") }
            }
            if let count = expectation.reportsMissing {
                parts.append("\(count) report(s) with a missing element")
                let actual = order?.reports.filter { !$0.missing.isEmpty }.count ?? 0
                if actual != count { problems.append("\(actual) with a missing element") }
            }
            if let availability = expectation.onDemandAvailability {
                parts.append("on-demand availability \(availability)")
                let actual = order?.reports.filter { !$0.scheduled }.map { $0.availability ?? "none" } ?? []
                if actual != availability { problems.append("on-demand availability \(actual)") }
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
        for (party, text) in (expectation.reputation ?? [:]).sorted(by: { $0.key < $1.key }) {
            parts.append("\(party) reputation \(text)")
            let actual = result.reputations[party]
            if actual != text { problems.append("\(party) reputation is \(actual ?? "none")") }
        }
        if let pair = expectation.ledger {
            let ledger = result.ledgers.first { Set($0.parties) == Set(pair) }
            if let kind = expectation.hasEntry {
                parts.append("ledger \(pair.joined(separator: "↔")) has \(kind)")
                if !(ledger?.kinds.contains(kind) ?? false) {
                    problems.append(
                        ledger == nil ? "no such ledger" : "kinds are \(ledger!.kinds.joined(separator: ", "))")
                }
            }
            if let kind = expectation.lacksEntry {
                parts.append("ledger \(pair.joined(separator: "↔")) has no \(kind)")
                if ledger?.kinds.contains(kind) ?? false { problems.append("it has \(kind)") }
            }
        }
        if let pair = expectation.invoices {
            checkInvoices(expectation, pair: pair, result, parts: &parts, problems: &problems)
        }
        if expectation.ledgers != nil {
            if let reason = result.auditSkipped {
                // Nothing was audited: never a PASS for copies nobody read.
                guard !parts.isEmpty else {
                    return .init(
                        expectation: "ledgers clean", passed: true, detail: "not audited: \(reason)", skipped: true)
                }
                parts.append("ledgers clean (not audited)")
            } else {
                parts.append("ledgers clean")
                if !result.auditFindings.isEmpty {
                    problems.append("\(result.auditFindings.count) audit finding(s)")
                }
            }
        }
        return .init(
            expectation: parts.joined(separator: ", "), passed: problems.isEmpty,
            detail: problems.joined(separator: "; "))
    }
}
