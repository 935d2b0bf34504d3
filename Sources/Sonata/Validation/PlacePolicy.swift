import CanonicalJSON

/// What a product specification says of a POQ item's places (MEF 79.1 R18–R21): whether a place is required,
/// forbidden or optional, and which place types (`@type`) the offering accepts.
///
/// A seller holds one per offering in its catalog; the request's items are checked against it once the offering
/// is known, so the finding names the requirement and the field's JSON Pointer.
public struct PlacePolicy: Codable, Sendable, Hashable {
    /// Whether the specification mandates a place, mandates none, or leaves it to the Buyer.
    public enum Requirement: String, Codable, Sendable, Hashable {
        case required, forbidden, optional
    }

    public let requirement: Requirement
    /// The place types the specification allows; empty allows every type Sonata v7 defines.
    public let allowedTypes: [String]

    public init(_ requirement: Requirement = .optional, allowedTypes: [String] = []) {
        self.requirement = requirement
        self.allowedTypes = allowedTypes
    }

    /// No rule: any place, or none.
    public static let optional = PlacePolicy()

    /// The fields each Sonata v7 place type is given by (R21: "the method … MUST match the POQ Item Place Type"),
    /// beyond `@type` and `role`, as the POQ v7 schema requires them.
    public static let fieldsOfType: [String: [String]] = [
        "GeographicSiteRef": ["id"],
        "GeographicAddressRef": ["id"],
        "FieldedAddress": ["streetName", "city", "country"],
        "FormattedAddress": ["addrLine1", "city", "country"],
        "GeographicAddressLabel": ["externalReferenceId", "externalReferenceType"],
        "MEFGeographicPoint": ["spatialRef", "x", "y"],
    ]

    /// The findings for one request item's `product.place` under this policy.
    ///
    /// - Parameters:
    ///   - places: the item's `product.place` array, `nil` when absent.
    ///   - itemPath: the item's JSON Pointer, e.g. `/productOfferingQualificationItem/0`.
    /// - Returns: R19 when a required place is missing or lacks its role or type, R20 when a forbidden place is
    ///   given, R21 when a type is not allowed or the place is not given the way its type says.
    public func findings(places: [JSONValue]?, itemPath: String) -> [ValidationFinding] {
        let placePath = JSONPointer.appending(JSONPointer.appending(itemPath, "product"), "place")
        let given = places ?? []
        switch requirement {
        case .forbidden:
            guard places != nil else { return [] }
            return [
                ValidationFinding(
                    path: placePath, rule: "MEF79-R20",
                    message: "the product specification mandates no place; none may be given")
            ]
        case .required where given.isEmpty:
            return [
                ValidationFinding(
                    path: placePath, rule: "MEF79-R19",
                    message: "the product specification mandates a place; give its role, type and place")
            ]
        case .required, .optional:
            break
        }
        var findings: [ValidationFinding] = []
        for (index, place) in given.enumerated() {
            let path = JSONPointer.appending(placePath, index)
            let role = place["role"]?.stringValue ?? ""
            let type = place["@type"]?.stringValue ?? ""
            if requirement == .required && role.isEmpty {
                findings.append(
                    ValidationFinding(
                        path: JSONPointer.appending(path, "role"), rule: "MEF79-R19",
                        message: "a mandated place gives its role"))
            }
            if type.isEmpty {
                findings.append(
                    ValidationFinding(
                        path: JSONPointer.appending(path, "@type"),
                        rule: requirement == .required ? "MEF79-R19" : "MEF79-R21",
                        message: "a place gives its type"))
                continue
            }
            if !allowedTypes.isEmpty && !allowedTypes.contains(type) {
                findings.append(
                    ValidationFinding(
                        path: JSONPointer.appending(path, "@type"), rule: "MEF79-R21",
                        message:
                            "'\(type)' is not a place type this offering accepts (\(allowedTypes.joined(separator: ", ")))"
                    ))
                continue
            }
            for field in Self.fieldsOfType[type] ?? [] where (place[field]?.stringValue ?? "").isEmpty {
                if place[field]?.numberValue != nil { continue }
                findings.append(
                    ValidationFinding(
                        path: JSONPointer.appending(path, field), rule: "MEF79-R21",
                        message: "a \(type) place is given by its \(field)"))
            }
        }
        return findings
    }
}
