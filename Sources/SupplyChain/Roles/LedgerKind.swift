/// The kind of a ledger entry a role writes. The raw values are the kinds LEDGER.md and the README document, so the
/// ledger format stays exactly what it was when kinds were free strings.
public enum LedgerKind: String, Sendable, Hashable, Codable, CaseIterable {
    // S-BUS: receipts, answers, a buyer's cancelled or declined quotes, hubs (upstream ledger).
    case poqReceipt = "poq.receipt"
    case inquiryReceipt = "inquiry.receipt"
    case poqResponse = "poq.response"
    case quoteResponse = "quote.response"
    case hubRegistered = "hub.registered"
    case quoteCancelled = "quote.cancelled"
    case quoteDeclined = "quote.declined"
    // B-BUS: requests and orders to sellers (each seller's ledger).
    case poqRequest = "poq.request"
    case inquiryRequest = "inquiry.request"
    case orderRequest = "order.request"
    case changeRequest = "change.request"
    case renewalRequest = "order.renewal_request"
    case disconnectionRequest = "order.disconnect_request"
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
    case changeOutageScheduled = "change.outage_scheduled"
    case changeCompleted = "change.completed"
    case orderRenewed = "order.renewed"
    case serviceDisconnected = "service.disconnected"
    case disconnectionWithdrawn = "order.disconnect_withdrawn"
    // Assurance: trouble tickets, faults, repair outages, terminations (ETSI PDL §22–35), in either direction,
    // and the SCO's internal tickets and fault notices to its SOF on the internal ledger.
    case ticketOpened = "ticket.opened"
    case ticketAcknowledged = "ticket.acknowledged"
    case ticketResolved = "ticket.resolved"
    case ticketClosed = "ticket.closed"
    case ticketCancelRequested = "ticket.cancel_requested"
    case ticketCancelled = "ticket.cancelled"
    case ticketReopened = "ticket.reopened"
    case faultNotified = "fault.notified"
    case faultCleared = "fault.cleared"
    case outageScheduled = "outage.scheduled"
    case outageAgreed = "outage.agreed"
    case outageCompleted = "outage.completed"
    case terminationRequested = "service.termination_requested"
    case serviceTerminated = "service.terminated"
    // Performance reporting (ETSI PDL §37–46): requests and reports in either direction, the SOF's measurements.
    case reportRequested = "report.requested"
    case reportReceipt = "report.receipt"
    case reportDelivered = "report.delivered"
    case reportScheduleCancelled = "report.schedule_cancelled"
    case sofMeasured = "sof.measured"
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
