import Ledger

/// Why a role refuses something, with the requirement that says so and the field at fault, when there is one.
///
/// Its description is the sentence the buyer reads (`PDL-023: quote q-1 expired at …`), built in one place instead
/// of requirement ids pasted into strings. It is a business outcome, a value; `Error` only lets it fail a `Result`.
public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The requirement id of `specs/requirements.tsv` (`PDL-021`), when a requirement is the reason.
    public let requirement: String?
    /// The path of the field at fault (`/product/productConfiguration/bandwidthMbps`), when one is.
    public let field: String?
    /// What is wrong, in words.
    public let message: String

    public init(_ requirement: String?, field: String? = nil, _ message: String) {
        self.requirement = requirement
        self.field = field
        self.message = message
    }

    public var description: String { requirement.map { "\($0): \(message)" } ?? message }

    /// PDL-023: an order's quote reference names no quote the seller gave this buyer. The same words for an
    /// unknown reference, another buyer's quote and a POQ's answer (which sellers do not keep: it cannot be
    /// ordered), so the answer says why without telling whether the reference exists.
    public static func notAQuote(_ reference: String, buyer: PartyID) -> Rejection {
        Rejection(
            "PDL-023",
            "\(reference) is not a quote this provider gave \(buyer): order against an inquiry's quote (a POQ's "
                + "answer cannot be ordered)")
    }
}
