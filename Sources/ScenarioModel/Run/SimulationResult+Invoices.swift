extension SimulationResult {
    /// One invoice of the run and what became of it.
    public struct InvoiceOutcome: Encodable, Sendable {
        public let id: String
        public let seller: String
        public let buyer: String
        /// The billing cycle, from 1.
        public let cycle: Int
        public let billDate: String
        public let dueDate: String
        public let currency: String
        public let amountDue: Double
        public let lines: Int
        /// Lines carried over open from an earlier invoice (PDL-106).
        public let carriedLines: Int
        public let paymentMethod: String
        /// A credit note (its amount due negative) rather than an invoice.
        public let creditNote: Bool
        /// The buyer's answers in order: `final`, `partial`, `dispute`.
        public var answers: [String] = []
        public var disputedLines = 0
        public var correctedLines = 0
        public var upheldLines = 0
        /// The amount agreed when the invoice became final.
        public var finalAmount: Double?
        public var paid: Double?
        public var paidAt: String?
        /// Days after the due date the payment came (0: on time).
        public var daysLate: Int?
        /// The invoice in the other direction this one was netted with (PDL-110).
        public var nettedWith: String?
        /// On the larger debtor's invoice: the net it paid instead.
        public var net: Double?
    }
}
