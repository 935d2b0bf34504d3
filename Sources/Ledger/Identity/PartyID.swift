/// The stable identifier of a provider (a party to bilateral ledgers), e.g. `"acme-wholesale"`.
///
/// Party ids appear in line-oriented encodings (entry hash input, signed-note signature lines), so a valid id
/// has 1 to 128 characters, none of them white space, a control character or `+` (as C2SP signed-note key
/// names require). `isValid` says so; the ledger refuses invalid ids where they would enter a hash.
public struct PartyID: RawRepresentable, Hashable, Comparable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// Byte-wise order of the UTF-8 text, so every implementation in every language sorts two parties alike.
    public static func < (lhs: PartyID, rhs: PartyID) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    /// True when this id can safely appear in the ledger's line-oriented encodings.
    public var isValid: Bool {
        let scalars = rawValue.unicodeScalars
        return (1...128).contains(scalars.count)
            && scalars.allSatisfy { !$0.properties.isWhitespace && $0.value >= 0x21 && $0.value != 0x7f && $0 != "+" }
    }

    /// Throws `LedgerError.invalidPartyID` unless `isValid`.
    func validated() throws -> PartyID {
        guard isValid else {
            throw LedgerError(.invalidPartyID, "party id \"\(rawValue)\" must be 1-128 characters, no space or +")
        }
        return self
    }
}
