/// Decodes a string-backed enum with a message that lists the allowed values.
///
/// Sonata enums are closed sets; a value outside the set is a schema finding that names what is allowed.
public protocol SonataEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {}

extension SonataEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(raw)' is not one of: \(allowed)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
