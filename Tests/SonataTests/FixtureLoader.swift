import CanonicalJSON
import Foundation

/// MEF's example payloads, copied from the MEF LSO Sonata SDK (Apache-2.0, see Fixtures/NOTICE).
enum Fixtures {
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    /// Every fixture file whose top-level members make it a payload of `kind`.
    static func names(of kind: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().filter { name in
            guard let value = try? json(name) else { return false }
            switch kind {
            case "poq": return value["productOfferingQualificationItem"] != nil
            case "quote": return value["quoteItem"] != nil
            case "order": return value["productOrderItem"] != nil
            default: return false
            }
        }
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse(data(name))
    }
}

extension JSONValue {
    /// Returns a copy with the value at `path` (object keys or array indices) replaced, or removed when `nil`.
    func replacing(_ path: [String], with newValue: JSONValue?) -> JSONValue {
        guard let head = path.first else { return newValue ?? .null }
        let rest = Array(path.dropFirst())
        switch self {
        case .object(var members):
            if rest.isEmpty && newValue == nil {
                members.removeValue(forKey: head)
            } else {
                members[head] = (members[head] ?? .null).replacing(rest, with: newValue)
            }
            return .object(members)
        case .array(var elements):
            let index = Int(head)!
            if rest.isEmpty && newValue == nil {
                elements.remove(at: index)
            } else {
                elements[index] = elements[index].replacing(rest, with: newValue)
            }
            return .array(elements)
        default:
            return self
        }
    }
}
