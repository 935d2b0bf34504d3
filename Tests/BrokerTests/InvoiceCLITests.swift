import Foundation
import Testing

/// `broker invoice` on a simulated run's ledger copies: the list, a printable page, and bad input.
struct InvoiceCLITests {
    @Test("PDL-102 an invoice from a run's ledger copies as a printable page: parties, lines, evidence, totals, state")
    func printableInvoice() async throws {
        let directory = BrokerCLITests.temporary("invoice")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulated = try await BrokerCLITests.broker("simulate", "invoice-dispute", "--out", directory.path)
        try #require(simulated.status == 0, "\(simulated.stderr)")
        let list = try await BrokerCLITests.broker("invoice", directory.path)
        #expect(list.status == 0)
        let first = try #require(list.stdout.split(separator: "\n").first.map(String.init))
        // CARRIER's overcharged invoice: 733.34 + 666.67 = 1,400.01, disputed, corrected, paid.
        #expect(first.hasPrefix("CARRIER-bill-"))
        #expect(first.contains("CARRIER → SHOP") && first.contains("1400.01 EUR") && first.hasSuffix("paid"))
        let id = try #require(first.split(separator: "\t").first.map(String.init))
        let page = try await BrokerCLITests.broker("invoice", directory.path, "--id", id)
        #expect(page.status == 0)
        let html = page.stdout
        #expect(html.hasPrefix("<!doctype html>"))
        for text in [
            "<strong>Seller</strong><br>CARRIER", "<strong>Buyer</strong><br>SHOP", "733.34 EUR", "666.67 EUR",
            "rests on: order.activated (entry", "Amount due</td><td class=\"amount\">1400.01 EUR",
            "Tax (none configured)", "payment due 2026-02-19T09:00:00Z", "line 1 corrected to 666.67 EUR",
            "paid 1333.34 EUR by fiat EUR, on time",
        ] {
            #expect(html.contains(text), "\(text)")
        }
        // The money on the copies audits clean.
        let audit = try await BrokerCLITests.broker("audit", "money", directory.path)
        #expect(audit.status == 0, "\(audit.stdout)")
        let unknown = try await BrokerCLITests.broker("invoice", directory.path, "--id", "NOPE-bill-1")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no invoice NOPE-bill-1"))
    }
}
