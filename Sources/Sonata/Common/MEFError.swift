/// The body of a Sonata error response (`Error400` … `Error501`), one type because only `code` tells them apart.
///
/// The HTTP status is derived from `code`, so a handler picks a code and the status follows.
public struct MEFError: Codable, Sendable, Hashable, Error {
    /// The longest `reason` MEF allows (`maxLength: 255`).
    public static let maximumReasonLength = 255

    /// What went wrong, from the closed set of the status' codes.
    public let code: MEFErrorCode
    /// A short explanation that can be shown to a user, at most 255 characters.
    public let reason: String
    /// More detail and corrective actions.
    public let message: String?
    /// A URL of documentation describing the error.
    public let referenceError: String?
    /// For `422`: a JSON Pointer (RFC 6901) to the property of the request that caused the issue.
    public let propertyPath: String?

    /// Creates an error body; a `reason` over 255 characters is cut to 255 so the body itself stays valid.
    public init(
        code: MEFErrorCode,
        reason: String,
        message: String? = nil,
        referenceError: String? = nil,
        propertyPath: String? = nil
    ) {
        self.code = code
        self.reason = Self.clipped(reason)
        self.message = message
        self.referenceError = referenceError
        self.propertyPath = propertyPath
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(MEFErrorCode.self, forKey: .code)
        reason = try container.decode(String.self, forKey: .reason)
        guard reason.unicodeScalars.count <= Self.maximumReasonLength else {
            throw DecodingError.dataCorruptedError(
                forKey: .reason, in: container,
                debugDescription: "reason is longer than \(Self.maximumReasonLength) characters")
        }
        message = try container.decodeIfPresent(String.self, forKey: .message)
        referenceError = try container.decodeIfPresent(String.self, forKey: .referenceError)
        propertyPath = try container.decodeIfPresent(String.self, forKey: .propertyPath)
    }

    /// The HTTP status code this error is sent with.
    public var httpStatus: Int { code.httpStatus }

    /// A 422 error pointing at the field a validation finding names.
    public init(finding: ValidationFinding, code: MEFErrorCode = .invalidValue) {
        self.init(code: code, reason: finding.message, propertyPath: finding.path)
    }

    private static func clipped(_ reason: String) -> String {
        guard reason.unicodeScalars.count > maximumReasonLength else { return reason }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: reason.unicodeScalars.prefix(maximumReasonLength))
        return String(scalars)
    }
}

/// Every error `code` of the Sonata error responses (`Error400Code` … `Error501`), in one closed set.
public enum MEFErrorCode: String, SonataEnum {
    // 400 Bad Request
    case missingQueryParameter, missingQueryValue, invalidQuery, invalidBody
    // 401 Unauthorized
    case missingCredentials, invalidCredentials
    // 403 Forbidden
    case accessDenied, forbiddenRequester, tooManyUsers
    // 404 Not Found
    case notFound
    // 408 Request Timeout (notification APIs)
    case timeOut
    // 409 Conflict (product order)
    case conflict
    // 422 Unprocessable Entity
    case missingProperty, invalidValue, invalidFormat, referenceNotFound, unexpectedProperty, tooManyRecords,
        otherIssue
    // 500 Internal Server Error
    case internalError
    // 501 Not Implemented
    case notImplemented

    /// The HTTP status that carries this code.
    public var httpStatus: Int {
        switch self {
        case .missingQueryParameter, .missingQueryValue, .invalidQuery, .invalidBody: 400
        case .missingCredentials, .invalidCredentials: 401
        case .accessDenied, .forbiddenRequester, .tooManyUsers: 403
        case .notFound: 404
        case .timeOut: 408
        case .conflict: 409
        case .missingProperty, .invalidValue, .invalidFormat, .referenceNotFound, .unexpectedProperty,
            .tooManyRecords, .otherIssue:
            422
        case .internalError: 500
        case .notImplemented: 501
        }
    }
}
