/// A checkpoint presented to an auditor as text (a signed note), with where it came from: the source names it in
/// findings about it.
public struct PresentedCheckpoint: Sendable, Hashable {
    /// Where the text came from, such as a file path.
    public var source: String
    /// The signed-note text.
    public var text: String

    public init(source: String, text: String) {
        self.source = source
        self.text = text
    }

    /// What the text is: a checkpoint, or malformed.
    public enum Parsed: Sendable {
        case checkpoint(Checkpoint)
        /// The `malformed_checkpoint` finding naming the source and why the text does not parse.
        case malformed(AuditFinding)
    }

    /// The parsed checkpoint, or the finding that it is malformed.
    public func parsed() -> Parsed {
        do {
            return .checkpoint(try Checkpoint.parse(text))
        } catch {
            return .malformed(
                AuditFinding(
                    ledgerID: LedgerID(rawValue: "-"), seq: nil, party: nil, rule: .malformedCheckpoint,
                    detail: "\(source) is not a signed-note checkpoint: \(error)"))
        }
    }
}
