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
}
