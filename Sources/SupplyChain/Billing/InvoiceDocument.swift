import CanonicalJSON

/// An invoice as a printable HTML page (PDL-102): the seller, the buyer, every line with the co-signed ledger entries
/// it rests on, taxes (none are configured yet), the totals, the due date and payment method, and what became of it
/// (the buyer's answer, the seller's resolution, netting, payment). One self-contained page, no scripts.
public enum InvoiceDocument {
    public static func html(_ entry: InvoiceBook.Entry) -> String {
        let invoice = entry.invoice
        let title = invoice.amountDue.minorUnits < 0 ? "Credit note" : "Invoice"
        var page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>\(title) \(escape(invoice.id))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #111; }
            table { border-collapse: collapse; width: 100%; margin: 1em 0; }
            th, td { border-bottom: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
            td.amount, th.amount { text-align: right; white-space: nowrap; }
            .parties { display: flex; justify-content: space-between; }
            .evidence { font-size: 0.85em; color: #444; }
            tfoot td { font-weight: bold; }
            @media print { body { margin: 0; } }
            </style></head><body>
            <h1>\(title) \(escape(invoice.id))</h1>
            <div class="parties">
            <div><strong>Seller</strong><br>\(escape(invoice.seller.rawValue))</div>
            <div><strong>Buyer</strong><br>\(escape(invoice.buyer.rawValue))</div>
            <div><strong>Billing period</strong> (cycle \(invoice.period.cycle + 1))<br>\(escape(invoice.period.start.description))<br>to \(escape(invoice.period.end.description))</div>
            </div>
            <p>Bill date \(escape(invoice.billDate.description)) · payment due \(escape(invoice.paymentDueDate.description)) · pay by \(escape(invoice.paymentMethod.description))</p>
            <p class="evidence">Ledger \(escape(entry.ledgerID)), entry \(entry.issued.seq) (\(entry.issued.agreed ? "co-signed" : "pending"))</p>
            <table>
            <thead><tr><th>#</th><th>Charge</th><th>Service / order</th><th>Period</th><th class="amount">Quantity</th><th class="amount">Rate</th><th class="amount">Amount</th></tr></thead>
            <tbody>

            """
        for item in invoice.items {
            let evidence = (entry.evidence[item.id] ?? []).map { ref in
                "\(escape(ref.kind)) (entry \(ref.seq), \(ref.agreed ? "co-signed" : "pending"))"
            }
            let carried = item.carriedFrom.map { "<br>carried open from \(escape($0))" } ?? ""
            let quantity = item.unit == "day" ? "\(item.unitQuantity) of 30 days" : "\(item.unitQuantity) \(item.unit)"
            page += """
                <tr><td>\(escape(item.id))</td><td>\(escape(item.chargeType.rawValue))<br>\(escape(item.description))\(carried)</td>
                <td>\(escape(item.product))<br>order \(escape(item.productOrder)), item \(escape(item.productOrderItem))<div class="evidence">rests on: \(evidence.isEmpty ? "—" : evidence.joined(separator: "; "))</div></td>
                <td>\(escape(item.coverage.start.description))<br>\(escape(item.coverage.end.description))</td>
                <td class="amount">\(escape(quantity))</td><td class="amount">\(escape(item.unitRate.description))</td>
                <td class="amount">\(escape(item.amount.description))</td></tr>

                """
        }
        let taxLabel =
            invoice.tax.map { "\($0.category) at \(Double($0.basisPoints) / 100) % of the taxable lines" }
            ?? "Tax (none configured)"
        page += """
            </tbody>
            <tfoot>
            <tr><td colspan="6">Total before tax</td><td class="amount">\(escape(invoice.amountBeforeTax.description))</td></tr>
            <tr><td colspan="6">\(escape(taxLabel))</td><td class="amount">\(escape(invoice.taxAmount.description))</td></tr>
            <tr><td colspan="6">Amount due</td><td class="amount">\(escape(invoice.amountDue.description))</td></tr>
            </tfoot></table>
            <h2>On the ledger since</h2>
            <ul>

            """
        if entry.followUps.isEmpty { page += "<li>No answer from the buyer yet.</li>\n" }
        for followUp in entry.followUps {
            page +=
                "<li>\(escape(followUp.time.description)): \(escape(followUp.kind)) by \(escape(followUp.author)) "
                + "(entry \(followUp.seq), \(followUp.agreed ? "co-signed" : "pending"))\(escape(summary(followUp)))</li>\n"
        }
        page += "</ul>\n<p>State: <strong>\(escape(InvoiceBook.state(of: entry)))</strong></p>\n</body></html>\n"
        return page
    }

    /// A few words on a follow-up entry: the agreed amount, the disputed lines, the amount paid and whether late.
    static func summary(_ ref: InvoiceBook.EntryRef) -> String {
        switch LedgerKind(rawValue: ref.kind) {
        case .invoiceFinal, .invoicePartial, .invoiceDispute:
            guard let answer = try? ref.body.decode(Reconciliation.self) else { return "" }
            let disputed = answer.disputed.map {
                "line \($0.itemID) (\($0.invoiced) invoiced, \($0.estimate) expected)"
            }
            return ": agreed \(answer.agreedAmount)"
                + (disputed.isEmpty ? "" : "; disputed " + disputed.joined(separator: ", "))
        case .invoiceResolved:
            guard let resolution = try? ref.body.decode(DisputeResolution.self) else { return "" }
            return ": "
                + resolution.lines.map {
                    "line \($0.itemID) \($0.corrected ? "corrected to" : "upheld at") \($0.recomputed)"
                }
                .joined(separator: ", ")
        case .netting:
            guard let statement = try? ref.body.decode(NettingStatement.self) else { return "" }
            return
                ": \(statement.payer) owes \(statement.owedByPayer), is owed \(statement.owedToPayer), pays \(statement.net)"
        case .payment:
            guard let payment = try? ref.body.decode(Payment.self) else { return "" }
            let late = (payment.paidAt - payment.dueDate).wholeDaysRoundedUp
            return ": paid \(payment.amount) by \(payment.method)"
                + (payment.isLate ? ", \(late) day(s) late" : ", on time")
        default:
            return ""
        }
    }

    /// Text made safe inside HTML elements and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
