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
}
