/// The kind of a ledger entry a role writes. The raw values are the kinds LEDGER.md and the README document, so the
/// ledger format stays exactly what it was when kinds were free strings.
public enum LedgerKind: String, Sendable, Hashable, Codable, CaseIterable {
    // S-BUS: receipts, answers, hubs (upstream ledger).
    case poqReceipt = "poq.receipt"
    case inquiryReceipt = "inquiry.receipt"
    case poqResponse = "poq.response"
    case quoteResponse = "quote.response"
    case hubRegistered = "hub.registered"
    // B-BUS: requests and orders to sellers (each seller's ledger).
    case poqRequest = "poq.request"
    case inquiryRequest = "inquiry.request"
    case orderRequest = "order.request"
    case changeRequest = "change.request"
    case renewalRequest = "order.renewal_request"
    // SCO and its SOF (internal ledger).
    case sofAnswer = "sof.answer"
    case orderDecomposed = "order.decomposed"
    case sofReserve = "sof.reserve"
    case sofActivationRequested = "sof.activation_requested"
    case sofActivationFailed = "sof.activation_failed"
    case sofActivated = "sof.activated"
    case sofReleased = "sof.released"
    case sofWindowChanged = "sof.window_changed"
    case sofChangeQuoted = "sof.change_quoted"
    case scoResourced = "sco.resourced"
    case scoChainTested = "sco.chain_tested"
    // Order events, in either direction.
    case orderAccepted = "order.accepted"
    case orderRejected = "order.rejected"
    case orderActivated = "order.activated"
    case orderFailed = "order.failed"
    case orderCancelled = "order.cancelled"
    case windowExtensionRequested = "order.window_extension_requested"
    case windowChanged = "order.window_changed"
    case windowExtensionRefused = "order.window_extension_refused"
    case changeQuoted = "change.quoted"
    case outageScheduled = "change.outage_scheduled"
    case changeCompleted = "change.completed"
    case orderRenewed = "order.renewed"
    case serviceDisconnected = "service.disconnected"
    // Money (ETSI PDL §47–64, decision 12): the seller's invoice and resolution, the buyer's answers and payment.
    case invoice = "invoice"
    case invoiceFinal = "invoice.final"
    case invoicePartial = "invoice.partial"
    case invoiceDispute = "invoice.dispute"
    case invoiceResolved = "invoice.resolved"
    case payment = "payment"
    case netting = "netting"
    case creditNote = "creditnote"

    /// The receipt kind for a request of `kind` (PDL-007).
    public static func receipt(_ kind: RequestKind) -> LedgerKind { kind == .poq ? .poqReceipt : .inquiryReceipt }

    /// The kind recording a request of `kind` sent to a seller (PDL-011).
    public static func request(_ kind: RequestKind) -> LedgerKind { kind == .poq ? .poqRequest : .inquiryRequest }

    /// The kind recording the answer to a request of `kind` (PDL-017).
    public static func response(_ kind: RequestKind) -> LedgerKind { kind == .poq ? .poqResponse : .quoteResponse }
}
