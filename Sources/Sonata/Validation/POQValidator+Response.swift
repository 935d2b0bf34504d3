import CanonicalJSON

extension POQValidator {
    /// Validates a Seller's POQ answer against the Buyer's request: states (Table 29), items one-to-one,
    /// confidence, installation interval and alternates, and the reported state histories
    /// (R38–R47, R90, R95–R102, O7).
    public static func validateResponse(
        _ response: ProductOfferingQualification, to request: ProductOfferingQualificationCreate
    ) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        func report(_ path: String, _ rule: String, _ message: String) {
            findings.append(ValidationFinding(path: path, rule: rule, message: message))
        }
        if response.id.isEmpty { report("/id", "MEF79-R38", "a successful response carries the POQ identifier") }
        if !response.relatedContactInformation.contains(where: { $0.role == sellerContactRole }) {
            report(
                "/relatedContactInformation", "MEF79-R38", "a successful response carries Seller Contact Information")
        }
        if request.instantSyncQualification == true, response.state != .doneReady,
            response.state != .doneUnableToProvide, response.state != .terminatedWithError
        {
            report("/state", "MEF79-R39", "an Immediate Response is final (READY), not '\(response.state.rawValue)'")
        }

        // R42 / R28 / R70: one response item per request item, and nothing else.
        let requested = request.productOfferingQualificationItem.map(\.id)
        let answered = response.productOfferingQualificationItem.map(\.id)
        for id in requested where answered.filter({ $0 == id }).count != 1 {
            report(
                "/productOfferingQualificationItem", "MEF79-R42",
                "request item '\(id)' has \(answered.filter { $0 == id }.count) answers; exactly one is required")
        }
        for (index, id) in answered.enumerated() where !requested.contains(id) {
            report(
                JSONPointer.appending(JSONPointer.appending("/productOfferingQualificationItem", index), "id"),
                "MEF79-R42",
                "answer item '\(id)' matches no request item")
        }

        let itemStates = response.productOfferingQualificationItem.map {
            MEF79ItemState($0.state, terminationErrors: $0.terminationError)
        }
        if let problem = MEF79POQState(response.state).matrixViolation(itemStates: itemStates) {
            report("/state", "MEF79-R100", problem)
        }
        // R95 / R96: the history a POQ reports follows Figure 2, and ends in the state it is in.
        let immediate = request.instantSyncQualification == true
        if let history = response.stateChange, !history.isEmpty {
            let states = history.map { MEF79POQState($0.state) }
            if let problem = MEF79POQState.historyViolation(states, immediate: immediate) {
                report("/stateChange", immediate ? "MEF79-R95" : "MEF79-R96", problem)
            } else if states.last != MEF79POQState(response.state) {
                report(
                    "/stateChange", immediate ? "MEF79-R95" : "MEF79-R96",
                    "the history ends in \(states.last?.rawValue ?? "") but the POQ is \(MEF79POQState(response.state).rawValue)"
                )
            }
        }

        for (index, item) in response.productOfferingQualificationItem.enumerated() {
            let path = JSONPointer.appending("/productOfferingQualificationItem", index)
            // R101 / R102: an item's history follows Figure 3; its last entry is read with the item's termination
            // error, which tells UNABLE_TO_MEET_TIME from REJECTED.
            if let history = item.stateChange, !history.isEmpty {
                let states = history.enumerated().map { step, change in
                    MEF79ItemState(
                        change.state, terminationErrors: step == history.count - 1 ? item.terminationError : nil)
                }
                if let problem = MEF79ItemState.historyViolation(states, immediate: immediate) {
                    report(JSONPointer.appending(path, "stateChange"), immediate ? "MEF79-R101" : "MEF79-R102", problem)
                }
            }
            switch item.state {
            case .doneReady:
                guard let confidence = item.serviceabilityConfidence else {
                    report(
                        JSONPointer.appending(path, "serviceabilityConfidence"), "MEF79-R43",
                        "a READY item states its confidence")
                    continue
                }
                if confidence != .red, item.installationInterval == nil {
                    report(
                        JSONPointer.appending(path, "installationInterval"), "MEF79-R44",
                        "a \(confidence.rawValue) item states its installation interval")
                }
            case .terminatedWithError, .doneAbandoned:
                if item.serviceabilityConfidence != nil || item.installationInterval != nil
                    || item.alternateProductOfferingProposal != nil || item.guaranteedUntilDate != nil
                {
                    report(path, "MEF79-R90", "a rejected or abandoned item carries only its id and state")
                }
            case .acknowledged, .inProgress:
                if item.serviceabilityConfidence != nil {
                    report(
                        JSONPointer.appending(path, "serviceabilityConfidence"), ValidationFinding.schemaRule,
                        "confidence is given only when the item is done.ready")
                }
            }
            if let alternates = item.alternateProductOfferingProposal, !alternates.isEmpty {
                let alternatesPath = JSONPointer.appending(path, "alternateProductOfferingProposal")
                if request.provideAlternative != true {
                    report(
                        alternatesPath, "MEF79-O7", "alternates are offered only when the Buyer set provideAlternative")
                }
                if item.serviceabilityConfidence == .green {
                    report(alternatesPath, "MEF79-O7", "alternates are offered only for a yellow or red item")
                }
                var seen: Set<String> = []
                for (altIndex, alternate) in alternates.enumerated() where !seen.insert(alternate.id).inserted {
                    report(
                        JSONPointer.appending(JSONPointer.appending(alternatesPath, altIndex), "id"), "MEF79-R47",
                        "alternate id '\(alternate.id)' is used twice within the item")
                }
            }
        }
        return findings
    }
}
