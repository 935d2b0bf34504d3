/// Who may say what on a trading ledger: the checks a party makes before it countersigns the other party's entry,
/// and that the auditor makes on every entry of a copy (LEDGER.md, "Who may say what").
///
/// A countersignature is a receipt: "I received this". Without these checks a party would countersign claims the
/// author is not entitled to make — a seller's acceptance authored by the buyer, an entry dated in the year 292
/// million that every later entry would have to carry, a kind no tool can read. The product's rules:
/// - a kind is 1–64 characters of dot-separated lower-case words (`[a-z][a-z0-9_]*`), and one the product knows;
/// - the internal kinds (`sof.*`, `sco.*`, `order.decomposed`) never appear on a ledger with another provider;
/// - a seller's kind (receipt, answer, order notice) answers a request the *other* party recorded on the same
///   ledger (same `request` or `order` ref); a buyer's notice on an order follows its own `order.request`;
/// - the body is at most `maximumBodyBytes` of canonical JSON;
/// - the time is not more than `maximumLead` ahead of the countersigner's clock (and, as always, not before the
///   head's time).
public struct EntryRules: Sendable {
    /// The side of a trade an entry kind belongs to.
    public enum Role: Sendable, Hashable {
        /// Opens a correlation: the party that records it is the buyer for that `ref`.
        case request(ref: String)
        /// The seller's answer to a request the other party opened with `ref`.
        case seller(ref: String)
        /// The buyer's notice on a request it opened itself with `ref`.
        case buyer(ref: String)
        /// Either party, no correlation needed.
        case either
        /// Only on a provider's internal ledger with its own SOF.
        case internalOnly
    }

    /// A broken rule: a stable name, and a sentence for people.
    public struct Violation: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Rule: String, Sendable, Hashable {
            case kindSyntax = "kind_syntax"
            case unknownKind = "unknown_kind"
            case notEntitled = "not_entitled"
            case bodyTooLarge = "body_too_large"
            case timeAhead = "time_ahead"
            /// A seller's answer or a buyer's notice whose request is not (yet) on the ledger. Live, the two
            /// parties' lanes race, so a countersigner answers "not yet" (a conflict: the author retries after its
            /// request is agreed); an auditor, who sees the whole ledger, reports `not_entitled`.
            case requestNotSeen = "request_not_seen"
        }

        public let rule: Rule
        public let detail: String
        public var description: String { "\(rule.rawValue): \(detail)" }
    }

    /// Every kind the product writes, with its role.
    public let kinds: [String: Role]
    /// The largest canonical body accepted, in bytes.
    public let maximumBodyBytes: Int
    /// How far an entry's time may lie ahead of the countersigner's clock, in milliseconds.
    public let maximumLead: Int64

    public init(kinds: [String: Role], maximumBodyBytes: Int = 256 * 1024, maximumLead: Int64 = 5 * 60_000) {
        self.kinds = kinds
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumLead = maximumLead
    }

    /// The broker's rules: the kinds README and LEDGER.md list.
    public static let broker = EntryRules(
        kinds: [
            "poq.request": .request(ref: "request"), "inquiry.request": .request(ref: "request"),
            "poq.receipt": .seller(ref: "request"), "inquiry.receipt": .seller(ref: "request"),
            "poq.response": .seller(ref: "request"), "quote.response": .seller(ref: "request"),
            // The buyer's cancellation or decline of a quote, as the seller recorded it (like ticket.cancelled).
            "quote.cancelled": .seller(ref: "request"), "quote.declined": .seller(ref: "request"),
            "hub.registered": .either,
            "order.request": .request(ref: "order"), "change.request": .request(ref: "order"),
            "order.renewal_request": .request(ref: "order"), "order.disconnect_request": .request(ref: "order"),
            "order.accepted": .seller(ref: "order"), "order.rejected": .seller(ref: "order"),
            "order.activated": .seller(ref: "order"), "order.failed": .seller(ref: "order"),
            "order.window_extension_requested": .seller(ref: "order"), "change.quoted": .seller(ref: "order"),
            "change.outage_scheduled": .seller(ref: "order"), "change.completed": .seller(ref: "order"),
            "order.renewed": .seller(ref: "order"), "service.disconnected": .seller(ref: "order"),
            "order.disconnect_withdrawn": .seller(ref: "order"),
            "order.cancelled": .buyer(ref: "order"), "order.window_changed": .buyer(ref: "order"),
            "order.window_extension_refused": .buyer(ref: "order"),
            "order.decomposed": .internalOnly, "sof.answer": .internalOnly, "sof.reserve": .internalOnly,
            "sof.activation_requested": .internalOnly, "sof.activated": .internalOnly,
            "sof.activation_failed": .internalOnly, "sof.released": .internalOnly, "sof.window_changed": .internalOnly,
            "sof.change_quoted": .internalOnly, "sco.resourced": .internalOnly, "sco.chain_tested": .internalOnly,
            // Assurance: a buyer opens a ticket; the seller acknowledges and resolves it; either side closes it
            // (the buyer confirms, or the seller after the agreed time). Faults, repair outages and terminations
            // concern a service rather than a ticket (a fault the seller found itself has none): either party.
            "ticket.opened": .request(ref: "ticket"), "ticket.acknowledged": .seller(ref: "ticket"),
            "ticket.resolved": .seller(ref: "ticket"), "ticket.closed": .either,
            "ticket.cancel_requested": .buyer(ref: "ticket"), "ticket.reopened": .buyer(ref: "ticket"),
            "ticket.cancelled": .seller(ref: "ticket"),
            "fault.notified": .either, "fault.cleared": .either, "outage.scheduled": .either,
            "outage.agreed": .either, "outage.completed": .either, "service.termination_requested": .either,
            "service.terminated": .either,
            // Performance reports: a buyer asks (ref `report`), the seller takes it and reports; a scheduled report
            // answers no request. A buyer's own schedule is taken like a request, and its cancellation too.
            "report.requested": .request(ref: "report"), "report.receipt": .seller(ref: "report"),
            "report.delivered": .either, "report.schedule_cancelled": .seller(ref: "report"),
            "sof.measured": .internalOnly,
            // Money: the seller opens an invoice; the buyer answers and pays it; the seller resolves its disputes.
            "invoice": .request(ref: "invoice"), "invoice.final": .seller(ref: "invoice"),
            "invoice.partial": .seller(ref: "invoice"), "invoice.dispute": .seller(ref: "invoice"),
            "payment": .seller(ref: "invoice"), "invoice.resolved": .buyer(ref: "invoice"),
            "netting": .seller(ref: "invoice"), "creditnote": .request(ref: "invoice"),
        ])

    /// True when `kind` is 1–64 characters of dot-separated lower-case words.
    public static func isWellFormed(kind: String) -> Bool {
        let bytes = Array(kind.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        var atWordStart = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): atWordStart = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): if atWordStart { return false }
            case UInt8(ascii: "."): if atWordStart { return false } else { atWordStart = true }
            default: return false
            }
        }
        return !atWordStart
    }

    /// Checks one entry of a trading ledger (not an internal one).
    /// - Parameters:
    ///   - now: the countersigner's clock in Unix milliseconds (nil: not checked, as for an auditor).
    ///   - opener: who recorded the request that opened `ref`'s value on this ledger, if anyone did.
    public func check(
        kind: String, author: PartyID, refs: [String: String], bodyBytes: Int, time: Int64, now: Int64?,
        opener: (_ ref: String, _ value: String) -> PartyID?
    ) -> Violation? {
        guard Self.isWellFormed(kind: kind) else {
            return Violation(
                rule: .kindSyntax, detail: "kind \"\(kind.prefix(80))\" is not 1-64 dot-separated lower-case words")
        }
        guard let role = kinds[kind] else {
            return Violation(rule: .unknownKind, detail: "kind \(kind) is not one the product writes")
        }
        if bodyBytes > maximumBodyBytes {
            return Violation(
                rule: .bodyTooLarge, detail: "the body is \(bodyBytes) bytes, more than \(maximumBodyBytes)")
        }
        if let now, case let (lead, overflow) = time.subtractingReportingOverflow(now),
            overflow ? time > now : lead > maximumLead
        {
            return Violation(
                rule: .timeAhead, detail: "time \(time) is more than \(maximumLead) ms ahead of the clock (\(now))")
        }
        switch role {
        case .either, .request:
            return nil
        case .internalOnly:
            return Violation(rule: .notEntitled, detail: "\(kind) belongs on a provider's internal ledger only")
        case .seller(let ref):
            guard let value = refs[ref] else {
                return Violation(rule: .notEntitled, detail: "\(author) records \(kind) without a \(ref) ref")
            }
            guard let buyer = opener(ref, value) else {
                return Violation(
                    rule: .requestNotSeen, detail: "\(kind) answers \(ref) \(value), which is not on the ledger")
            }
            guard buyer != author else {
                return Violation(
                    rule: .notEntitled,
                    detail: "\(author) records \(kind) on its own \(ref) \(value); the seller answers")
            }
            return nil
        case .buyer(let ref):
            guard let value = refs[ref] else {
                return Violation(rule: .notEntitled, detail: "\(author) records \(kind) without a \(ref) ref")
            }
            guard let buyer = opener(ref, value) else {
                return Violation(
                    rule: .requestNotSeen, detail: "\(kind) is about \(ref) \(value), which is not on the ledger")
            }
            guard buyer == author else {
                return Violation(
                    rule: .notEntitled, detail: "\(author) records \(kind) on \(ref) \(value), which it did not place")
            }
            return nil
        }
    }

    /// The ref an entry of `kind` opens (`request` for a POQ, `order` for an order), if it opens one.
    public func opens(_ kind: String) -> String? {
        if case .request(let ref)? = kinds[kind] { return ref }
        return nil
    }
}
