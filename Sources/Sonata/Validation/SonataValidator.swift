import CanonicalJSON
import Foundation

/// Validates a Sonata request payload of any known kind: what `broker validate` and the S-BUS call.
public enum SonataValidator {
    /// Why a payload could not be validated at all (as opposed to validating with findings).
    public struct PayloadError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The result of validating one payload.
    public struct Report: Sendable {
        public let kind: PayloadKind
        public let findings: [ValidationFinding]
    }

    /// Parses `data` as JSON, detects (or takes) its kind and returns every finding.
    ///
    /// - Throws: `PayloadError` when the bytes are not JSON or the kind cannot be told.
    public static func validate(_ data: Data, kind: PayloadKind? = nil) throws -> Report {
        let payload: JSONValue
        do {
            payload = try JSONValue.parse(data)
        } catch {
            throw PayloadError(message: "not JSON: \(Self.describe(error))")
        }
        guard let kind = kind ?? PayloadKind.detect(payload) else {
            throw PayloadError(
                message: "not a known Sonata request: expected a top-level productOfferingQualificationItem (POQ), "
                    + "quoteItem (quote) or productOrderItem (order); give --kind to say which")
        }
        return Report(kind: kind, findings: validate(payload, kind: kind))
    }

    /// Every finding for a parsed payload of a given kind.
    public static func validate(_ payload: JSONValue, kind: PayloadKind) -> [ValidationFinding] {
        switch kind {
        case .poq:
            return admitPOQ(payload).findings
        case .quote:
            return schemaFindings(QuoteCreate.self, payload)
        case .order:
            return schemaFindings(ProductOrderCreate.self, payload)
        }
    }

    /// Validates a Create POQ request and, when it is clean, decodes it (once): what the S-BUS admits.
    public static func admitPOQ(
        _ payload: JSONValue
    ) -> (poq: ProductOfferingQualificationCreate?, findings: [ValidationFinding]) {
        let findings = POQValidator.validateRequest(payload)
        guard findings.isEmpty else { return (nil, findings) }
        // The business rules passed: the typed model must then decode, or the schema says why not.
        do {
            return (try payload.decode(ProductOfferingQualificationCreate.self), [])
        } catch let error as DecodingError {
            return (nil, [ValidationFinding(schemaViolation: error)])
        } catch {
            return (nil, [ValidationFinding(path: "", rule: ValidationFinding.schemaRule, message: "\(error)")])
        }
    }

    /// Decodes `payload` as `type` and turns a decoding failure into one schema finding with the field's path.
    static func schemaFindings<T: Decodable>(_ type: T.Type, _ payload: JSONValue) -> [ValidationFinding] {
        do {
            _ = try payload.decode(type)
            return []
        } catch let error as DecodingError {
            return [ValidationFinding(schemaViolation: error)]
        } catch {
            return [ValidationFinding(path: "", rule: ValidationFinding.schemaRule, message: "\(error)")]
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
