/// The money expectations: `{ invoices: [SELLER, BUYER], count: 3, amounts: [...], answers: [...], ... }`.
extension ExpectationChecker {
    static func checkInvoices(
        _ expectation: Scenario.Expectation, pair: [String], _ result: SimulationResult, parts: inout [String],
        problems: inout [String]
    ) {
        let invoices = result.invoices.filter { $0.seller == pair[0] && $0.buyer == pair[1] }
        parts.append("invoices \(pair[0]) → \(pair[1])")
        func amounts(_ values: [Double?]) -> String {
            values.map { $0.map { String(format: "%.2f", $0) } ?? "none" }.joined(separator: ", ")
        }
        func equal(_ actual: [Double?], _ expected: [Double]) -> Bool {
            actual.count == expected.count
                && zip(actual, expected).allSatisfy { actual, expected in
                    actual.map { abs($0 - expected) < 0.005 } ?? false
                }
        }
        if let count = expectation.count {
            parts.append("\(count) invoice(s)")
            if invoices.count != count { problems.append("\(invoices.count) invoice(s)") }
        }
        if let expected = expectation.amounts {
            parts.append("amounts \(amounts(expected))")
            let actual = invoices.map { Optional($0.amountDue) }
            if !equal(actual, expected) { problems.append("amounts are \(amounts(actual))") }
        }
        if let expected = expectation.answers {
            parts.append("answers \(expected.joined(separator: ", "))")
            let actual = invoices.map { $0.answers.first ?? "none" }
            if actual != expected { problems.append("answers are \(actual.joined(separator: ", "))") }
        }
        if let expected = expectation.finalAmounts {
            parts.append("final amounts \(amounts(expected))")
            let actual = invoices.map(\.finalAmount)
            if !equal(actual, expected) { problems.append("final amounts are \(amounts(actual))") }
        }
        if let expected = expectation.paidAmounts {
            parts.append("paid \(amounts(expected))")
            let actual = invoices.compactMap(\.paid).map { Optional($0) }
            if !equal(actual, expected) { problems.append("paid \(amounts(actual))") }
        }
        let counts: [(String, Int?, Int)] = [
            ("netted invoice(s)", expectation.netted, invoices.filter { $0.nettedWith != nil }.count),
            ("credit note(s)", expectation.creditNotes, invoices.filter(\.creditNote).count),
            ("disputed line(s)", expectation.disputedLines, invoices.map(\.disputedLines).reduce(0, +)),
            ("corrected line(s)", expectation.correctedLines, invoices.map(\.correctedLines).reduce(0, +)),
            ("carried line(s)", expectation.carriedLines, invoices.map(\.carriedLines).reduce(0, +)),
            ("payment(s)", expectation.payments, invoices.filter { $0.paid != nil }.count),
            ("late payment(s)", expectation.latePayments, invoices.filter { ($0.daysLate ?? 0) > 0 }.count),
        ]
        for (name, expected, actual) in counts {
            guard let expected else { continue }
            parts.append("\(expected) \(name)")
            if actual != expected { problems.append("\(actual) \(name)") }
        }
    }
}
