import ArgumentParser
import Foundation
import Ledger
import SupplyChain

/// `broker invoice`: the invoices found in ledger copies, as a list or as printable HTML pages (PDL-102).
struct InvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "List the invoices in ledger copies, or write them as printable HTML pages.",
        discussion: """
            Reads ledger SQLite files (or a run's directory, as `broker simulate --out DIR` writes it) read-only \
            and finds every invoice entry, with the buyer's answer, the seller's resolution, netting and payment \
            recorded after it, and the co-signed entries each line rests on (order.activated, change.completed, \
            service.disconnected). Each ledger is read once, whichever party's copy comes first.

            Examples:
              broker simulate monthly-billing --out out/billing
              broker invoice out/billing                    # list: id, seller → buyer, cycle, amount, state
              broker invoice out/billing --id RETAIL-bill-6 > bill.html
              broker invoice out/billing --html out/bills   # one page per invoice

            Exit codes: 0 ok, 2 unreadable input or an unknown invoice id.
            """
    )

    @Argument(help: "Ledger SQLite files or directories of them.") var paths: [String]
    @Option(help: "Print this invoice as an HTML page.") var id: String?
    @Option(help: "Write every invoice as an HTML page into this directory.") var html: String?

    func run() throws {
        var copies: [LedgerCopy] = []
        for path in try expand(paths) {
            guard let file = try? LedgerFile.open(path: path) else { continue }
            copies += file.copies
        }
        guard !copies.isEmpty else { fail("no ledger file in \(paths.joined(separator: " "))") }
        let book = InvoiceBook(copies: copies)
        if let id {
            guard let entry = book.entries.first(where: { $0.invoice.id == id }) else {
                fail("no invoice \(id) in \(paths.joined(separator: " "))")
            }
            print(InvoiceDocument.html(entry), terminator: "")
            return
        }
        if let html {
            try FileManager.default.createDirectory(atPath: html, withIntermediateDirectories: true)
            for entry in book.entries {
                let path = (html as NSString).appendingPathComponent("\(entry.invoice.id).html")
                try Data(InvoiceDocument.html(entry).utf8).write(to: URL(fileURLWithPath: path))
                print(path)
            }
            return
        }
        for entry in book.entries {
            let invoice = entry.invoice
            print(
                [
                    invoice.id, "\(invoice.seller) → \(invoice.buyer)", "cycle \(invoice.period.cycle + 1)",
                    invoice.amountDue.description, "due \(invoice.paymentDueDate)", InvoiceBook.state(of: entry),
                ].joined(separator: "\t"))
        }
    }

    private func expand(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                fail("\(path): no such file or directory")
            }
            guard isDirectory.boolValue else { return [path] }
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                .filter { $0.hasSuffix(".sqlite") || $0.hasSuffix(".db") }
                .map { (path as NSString).appendingPathComponent($0) }
        }
    }
}
