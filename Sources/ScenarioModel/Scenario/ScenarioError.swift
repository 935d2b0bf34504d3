/// A scenario that cannot be run: the path of the bad field and what was expected (the CLI exits 2).
public struct ScenarioError: Error, Sendable, CustomStringConvertible, Equatable {
    /// e.g. `providers[2].catalog[0].cost`; empty for the whole file.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The dotted path for a decoder's coding path: `providers[2].catalog[0].cost`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out
    }

    /// A decoder's error in plain words, at the path of the field.
    public init(decoding error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            let base = Self.path(context.codingPath)
            self.init(
                path: base.isEmpty ? key.stringValue : "\(base).\(key.stringValue)",
                message: "required field is missing")
        case .typeMismatch(let type, let context):
            self.init(path: Self.path(context.codingPath), message: "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(path: Self.path(context.codingPath), message: "expected \(Self.describe(type)), found nothing")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            self.init(path: Self.path(context.codingPath), message: "not valid YAML: \(underlying)")
        @unknown default:
            self.init(path: "", message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
