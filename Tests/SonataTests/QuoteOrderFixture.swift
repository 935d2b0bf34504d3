import CanonicalJSON
import Foundation
import Sonata
import Testing

/// One MEF example payload from `Fixtures/`, classified by its top-level keys as a quote or an order request.
struct QuoteOrderFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let data: Data
    let tree: JSONValue

    var testDescription: String { name }

    /// Every JSON fixture, by file name.
    static let all: [QuoteOrderFixture] = {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        else { return [] }
        return files.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            .compactMap { url in
                guard let data = try? Data(contentsOf: url), let tree = try? JSONValue.parse(data) else { return nil }
                return QuoteOrderFixture(name: url.deletingPathExtension().lastPathComponent, data: data, tree: tree)
            }
    }()

    /// The `Quote_Create` payloads: the ones with `quoteItem`.
    static let quotes = all.filter { $0.tree["quoteItem"] != nil }
    /// The `ProductOrder_Create` payloads: the ones with `productOrderItem`.
    static let orders = all.filter { $0.tree["productOrderItem"] != nil }

    static func named(_ name: String) throws -> QuoteOrderFixture {
        try #require(all.first { $0.name == name }, "no fixture \(name)")
    }
}

extension JSONValue {
    /// The element at `index` when this is an array, else `nil`.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// A copy with the value at the RFC 6901 `pointer` replaced, or removed when `value` is `nil`.
    func replacing(_ pointer: String, with value: JSONValue?) -> JSONValue {
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
        return replacing(tokens[...], with: value)
    }

    private func replacing(_ tokens: ArraySlice<String>, with value: JSONValue?) -> JSONValue {
        guard let token = tokens.first else { return value ?? .null }
        let rest = tokens.dropFirst()
        switch self {
        case .object(var members):
            if rest.isEmpty && value == nil {
                members[token] = nil
            } else {
                members[token] = (members[token] ?? .null).replacing(rest, with: value)
            }
            return .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { return self }
            if rest.isEmpty && value == nil {
                elements.remove(at: index)
            } else {
                elements[index] = elements[index].replacing(rest, with: value)
            }
            return .array(elements)
        default:
            return self
        }
    }

    /// The JSON Pointers at which `self` and `other` differ, so a lossy round trip names what it lost.
    func differences(from other: JSONValue, at pointer: String = "") -> [String] {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            return Set(mine.keys).union(theirs.keys).sorted().flatMap { key in
                let path = pointer + "/" + key
                guard let left = mine[key], let right = theirs[key] else { return [path] }
                return left.differences(from: right, at: path)
            }
        case (.array(let mine), .array(let theirs)) where mine.count == theirs.count:
            return zip(mine, theirs).enumerated().flatMap { index, pair in
                pair.0.differences(from: pair.1, at: pointer + "/" + String(index))
            }
        default:
            return self == other ? [] : [pointer]
        }
    }
}

/// The schema finding a payload produces when decoded as `type`; fails the test if it decodes.
func schemaFinding<T: Decodable>(decoding type: T.Type, _ tree: JSONValue) throws -> ValidationFinding {
    let error = try #require(throws: DecodingError.self) { try tree.decode(type) }
    return ValidationFinding(schemaViolation: error)
}
