import Foundation

/// The public keys an auditor or a node trusts, by party.
///
/// Its text form (`broker audit --keys FILE`) is one `party-id <public key>` pair per line, the key as 64 hex
/// digits or as base64 of the 32 raw bytes; blank lines and lines starting with `#` are ignored.
public struct KeyDirectory: Sendable, Hashable {
    private var keys: [PartyID: Data] = [:]

    public init() {}

    /// Registers (or replaces) `party`'s 32-byte public key.
    public mutating func register(_ party: PartyID, publicKey: Data) {
        keys[party] = publicKey
    }

    /// `party`'s public key, or `nil` when the directory does not know the party.
    public func publicKey(for party: PartyID) -> Data? {
        keys[party]
    }

    /// The parties the directory knows, sorted.
    public var parties: [PartyID] { keys.keys.sorted() }

    /// Parses the text form described on the type.
    /// - Throws: `LedgerError(.malformedInput)` naming the first bad line.
    public init(parsing text: String) throws {
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2 else {
                throw LedgerError(.malformedInput, "line \(number + 1): expected \"party-id public-key\"")
            }
            let encoded = String(fields[1])
            let key =
                encoded.count == 64 ? Data(hexString: encoded) : Data(base64Encoded: encoded)
            guard let key, key.count == 32 else {
                throw LedgerError(.malformedInput, "line \(number + 1): public key is not 32 bytes of hex or base64")
            }
            register(PartyID(String(fields[0])), publicKey: key)
        }
    }

    /// The text form, keys in hex, parties sorted.
    public var text: String {
        parties.map { "\($0.rawValue) \(keys[$0]!.hexString)\n" }.joined()
    }
}
