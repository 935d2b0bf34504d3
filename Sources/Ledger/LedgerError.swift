/// The one error type of the `Ledger` module: a stable machine-readable code and a human message.
///
/// Integrity failures (bad hash, bad signature, broken chain) are thrown, because no honest peer ever produces
/// them; business outcomes such as a sequencing conflict are values (`ReceiveOutcome`), not errors.
public struct LedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable error codes; the raw values never change, so callers and logs can match on them.
    public enum Code: String, Sendable, Hashable {
        case invalidPartyID = "invalid_party_id"
        case invalidKey = "invalid_key"
        case invalidField = "invalid_field"
        case unknownParty = "unknown_party"
        case wrongLedger = "wrong_ledger"
        case badEntryHash = "bad_entry_hash"
        case badSignature = "bad_signature"
        case notOnHead = "not_on_head"
        case divergence = "divergence"
        case notEntitled = "not_entitled"
        case notCountersigned = "not_countersigned"
        case headerMismatch = "header_mismatch"
        case storage = "storage"
        case durability = "durability"
        case malformedCheckpoint = "malformed_checkpoint"
        case malformedInput = "malformed_input"
        /// A readable SQLite file without the ledger tables (a node's journal, its replay cache).
        case notALedgerFile = "not_a_ledger_file"
    }

    /// What went wrong, as a stable code.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
