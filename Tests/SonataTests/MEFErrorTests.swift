import CanonicalJSON
import Foundation
import Sonata
import Testing

struct MEFErrorTests {
    @Test("A 422 error body round-trips with its property path and maps to HTTP 422")
    func unprocessableEntity() throws {
        let json: JSONValue = [
            "code": "invalidValue", "reason": "unknown product offering",
            "propertyPath": "/quoteItem/0/product/productOffering/id",
        ]
        let error = try json.decode(MEFError.self)
        #expect(error.httpStatus == 422)
        #expect(error.propertyPath == "/quoteItem/0/product/productOffering/id")
        #expect(try JSONValue(encoding: error) == json)
    }

    @Test("A finding becomes a 422 error pointing at the same field")
    func fromFinding() {
        let finding = ValidationFinding(path: "/quoteItem/1/action", rule: "SONATA-SCHEMA", message: "bad action")
        let error = MEFError(finding: finding)
        #expect(error.code == .invalidValue)
        #expect(error.propertyPath == "/quoteItem/1/action")
        #expect(error.httpStatus == 422)
    }

    @Test("The reason is limited to 255 characters: cut when built, rejected when received")
    func reasonLength() throws {
        let long = String(repeating: "x", count: 300)
        #expect(MEFError(code: .internalError, reason: long).reason.count == 255)
        let finding = try schemaFinding(decoding: MEFError.self, ["code": "notFound", "reason": .string(long)])
        #expect(finding.path == "/reason")
    }

    @Test(
        "Each status' codes map to that status",
        arguments: [
            (MEFErrorCode.invalidBody, 400), (.invalidCredentials, 401), (.tooManyUsers, 403), (.notFound, 404),
            (.conflict, 409), (.otherIssue, 422), (.internalError, 500), (.notImplemented, 501),
        ])
    func httpStatus(code: MEFErrorCode, status: Int) {
        #expect(code.httpStatus == status)
    }
}
