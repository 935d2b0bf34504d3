/// Payment terms written "AxB" (Table 4 of the standard, read as decision 15 does): an A-day billing cycle with
/// payment due B days after the bill.
public struct PaymentTerms: Codable, Sendable, Hashable, CustomStringConvertible {
    public let cycleDays: Int
    public let dueDays: Int

    public init(cycleDays: Int, dueDays: Int) {
        self.cycleDays = cycleDays
        self.dueDays = dueDays
    }

    /// "30x30": a 30-day cycle, payment due 30 days after the bill.
    public static let standard = PaymentTerms(cycleDays: 30, dueDays: 30)

    /// Reads "30x15"; nil unless both numbers are whole, the cycle 1–366 days and the due days 0–366.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let cycle = Int(parts[0]), let due = Int(parts[1]), (1...366).contains(cycle),
            (0...366).contains(due)
        else { return nil }
        self.init(cycleDays: cycle, dueDays: due)
    }

    public var description: String { "\(cycleDays)x\(dueDays)" }
}
