import ArgumentParser
import Foundation
import Ledger
import SupplyChain

extension AuditCommand {
    /// `broker audit money`: the money on ledger copies, checked from the copies alone (LEDGER.md §12).
    struct Money: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "money",
            abstract: "Check the invoices, answers and payments on ledger copies against the entries they rest on.",
            discussion: """
                Recomputes every final invoice line from the co-signed entries it rests on (a recurring line from \
                the order.activated and service.disconnected entries, a change fee from change.quoted and \
                change.completed), checks that agreed totals add up and payments match them (or the netted \
                amount) with a correct late flag, that no charge is billed twice over the same days, and that \
                every service the seller activated is billed in each cycle it invoiced. Findings are printed one \
                per line: ledger id, invoice, line ('-' for the whole invoice), rule, detail.

                --margins prints, before the findings, each provider's margin per cycle from the final lines: \
                what it invoiced its buyers, what its sellers invoiced it, and the difference (tab-separated).

                Example:
                  broker simulate monthly-billing --out out/billing
                  broker audit money out/billing --margins

                Exit codes: 0 clean, 1 findings, 2 unreadable or bad input.
                """
        )

        @Argument(help: "Ledger SQLite files or directories of them.") var paths: [String]
        @Flag(help: "Print each provider's margin per cycle: invoiced, invoiced by its sellers, the difference.")
        var margins = false

        func run() throws {
            var copies: [LedgerCopy] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    fail("\(path): no such file or directory")
                }
                let files =
                    isDirectory.boolValue
                    ? try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                        .filter { $0.hasSuffix(".sqlite") || $0.hasSuffix(".db") }
                        .map { (path as NSString).appendingPathComponent($0) } : [path]
                for file in files {
                    guard let ledgerFile = try? LedgerFile.open(path: file) else { continue }
                    copies += ledgerFile.copies
                }
            }
            guard !copies.isEmpty else { fail("no ledger file in \(paths.joined(separator: " "))") }
            let book = InvoiceBook(copies: copies)
            if margins { for margin in MoneyAudit.margins(book) { print(margin) } }
            let findings = MoneyAudit.audit(book)
            for finding in findings { print(finding) }
            if !findings.isEmpty { throw ExitCode(1) }
        }
    }
}
