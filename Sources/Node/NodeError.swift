/// The live node's error: a stable code and a message for a person.
public struct NodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case badConfiguration
        case transport
        case protocolViolation
        case ledger
        case cluster
        case journal
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
