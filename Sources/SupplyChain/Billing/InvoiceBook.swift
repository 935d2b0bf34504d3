import CanonicalJSON
import Foundation
import Ledger

/// The invoices found in ledger copies, each with the entries that answer, resolve, net and pay it and the entries
/// its lines rest on: what `broker invoice` prints, from ledger copies alone (no node, no scenario).
public struct InvoiceBook: Sendable {
    /// One entry of a ledger, as far as an invoice document shows it.
    public struct EntryRef: Sendable, Hashable {
        public let seq: Int64
        public let kind: String
        public let author: String
        public let time: Instant
        /// Whether the counterparty countersigned it (otherwise it is pending, not agreed).
        public let agreed: Bool
        public let refs: [String: String]
        public let body: JSONValue
    }

    /// An invoice and everything on its ledger about it.
    public struct Entry: Sendable {
        public let invoice: Invoice
        public let ledgerID: String
        public let issued: EntryRef
        /// `invoice.final`, `invoice.partial`, `invoice.dispute`, `invoice.resolved`, `netting`, `payment`, in order.
        public let followUps: [EntryRef]
        /// For each line number, the entries its evidence names (`order.activated order=X` → that entry).
        public let evidence: [String: [EntryRef]]
    }

    public let entries: [Entry]
    /// Every entry of every ledger read, by ledger id, in seq order (what the money audit checks lines against).
    public let ledgers: [String: [EntryRef]]

    /// Reads every invoice in `copies`, each ledger once (the first copy of a ledger id read wins).
    public init(copies: [LedgerCopy]) {
        var seen: Set<String> = []
        var found: [Entry] = []
        var ledgers: [String: [EntryRef]] = [:]
        for copy in copies where seen.insert(copy.header.ledgerID).inserted {
            let rows = copy.rows.map { row -> (EntryRef, [String: String]) in
                let refs =
                    (try? JSONValue.parse(Data(row.refs.utf8)))?.objectValue?.compactMapValues(\.stringValue) ?? [:]
                let body = (try? JSONValue.parse(Data(row.body.utf8))) ?? .null
                let ref = EntryRef(
                    seq: row.seq, kind: row.kind, author: row.author, time: Instant(milliseconds: row.time),
                    agreed: !(row.counterSig ?? "").isEmpty, refs: refs, body: body)
                return (ref, refs)
            }
            ledgers[copy.header.ledgerID] = rows.map(\.0)
            for (ref, refs) in rows
            where ref.kind == LedgerKind.invoice.rawValue || ref.kind == LedgerKind.creditNote.rawValue {
                guard let invoice = try? ref.body.decode(Invoice.self), let id = refs["invoice"] else { continue }
                let followUps = rows.filter { $0.0.seq > ref.seq && ($0.1["invoice"] == id || $0.1["netted"] == id) }
                    .map(\.0)
                var evidence: [String: [EntryRef]] = [:]
                for item in invoice.items {
                    evidence[item.id] = item.evidence.compactMap { text -> EntryRef? in
                        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
                        guard parts.count == 2 else { return nil }
                        let pair = parts[1].split(separator: "=", maxSplits: 1).map(String.init)
                        guard pair.count == 2 else { return nil }
                        return rows.first { $0.0.kind == parts[0] && $0.1[pair[0]] == pair[1] }?.0
                    }
                }
                found.append(
                    Entry(
                        invoice: invoice, ledgerID: copy.header.ledgerID, issued: ref, followUps: followUps,
                        evidence: evidence))
            }
        }
        self.ledgers = ledgers
        entries = found.sorted { ($0.invoice.billDate, $0.invoice.id) < ($1.invoice.billDate, $1.invoice.id) }
    }

    /// Where an invoice stands after its follow-ups: `issued`, `disputed`, `partial`, `final`, `paid`, `netted`.
    public static func state(of entry: Entry) -> String {
        var state = "issued"
        for followUp in entry.followUps {
            switch followUp.kind {
            case LedgerKind.invoiceDispute.rawValue: state = "disputed"
            case LedgerKind.invoicePartial.rawValue: state = "partial"
            case LedgerKind.invoiceFinal.rawValue: state = "final"
            case LedgerKind.netting.rawValue: state = "netted"
            case LedgerKind.payment.rawValue: state = "paid"
            default: break
            }
        }
        return state
    }
}
