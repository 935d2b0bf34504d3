import Yams

/// The keys a YAML file may use and what each key's value holds, so a misspelt key is refused instead of silently
/// ignored (a `Decodable` type skips keys it does not know).
public indirect enum KeyShape: Sendable {
    /// A scalar, or a value whose keys are free (a map of discounts, an inline Sonata payload): not checked.
    case value
    /// A mapping with exactly these keys (each optional), each holding a value of its own shape.
    case mapping([String: KeyShape])
    /// A list whose elements have this shape.
    case list(KeyShape)

    /// The mapping a file section of this type accepts.
    public static func section<Section: KnownKeys>(_ type: Section.Type) -> KeyShape { .mapping(Section.knownKeys) }

    /// Refuses the first key of `node` this shape does not know: `providers[0].sellrs: unknown key; did you mean
    /// 'sellers'?`. Values of the wrong kind (a list where a mapping belongs) are left to the decoder's message.
    /// - Parameter path: the path of `node` in the file (empty for the whole document).
    public func check(_ node: Node, path: String = "") throws(ScenarioError) {
        switch (self, node) {
        case (.mapping(let known), .mapping(let mapping)):
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                if name == "<<" {  // a YAML merge key: the merged mappings are checked as part of this one
                    for merged in value.sequence.map(Array.init) ?? [value] { try check(merged, path: path) }
                    continue
                }
                let keyPath = path.isEmpty ? name : "\(path).\(name)"
                guard let shape = known[name] else {
                    let suggestion = Self.closest(to: name, among: known.keys).map { "; did you mean '\($0)'?" }
                    throw ScenarioError(path: keyPath, message: "unknown key" + (suggestion ?? ""))
                }
                try shape.check(value, path: keyPath)
            }
        case (.list(let element), .sequence(let sequence)):
            for (index, item) in sequence.enumerated() { try element.check(item, path: "\(path)[\(index)]") }
        default:
            return
        }
    }

    /// The known key nearest to `key` in edit distance (ties: the first in alphabetical order), when it is near
    /// enough to be a typo: at most a third of the longer word's letters differ.
    static func closest(to key: String, among known: some Sequence<String>) -> String? {
        let lowered = Array(key.lowercased())
        let ranked = known.sorted().map { candidate in
            (candidate, Self.editDistance(lowered, Array(candidate.lowercased())))
        }
        guard let best = ranked.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, max(key.count, best.0.count) / 3) ? best.0 : nil
    }

    /// Levenshtein distance: insertions, deletions and substitutions, each counting one.
    static func editDistance(_ left: [Character], _ right: [Character]) -> Int {
        var previous = Array(0...right.count)
        for (row, leftCharacter) in left.enumerated() {
            var current = [row + 1]
            for (column, rightCharacter) in right.enumerated() {
                let substitution = previous[column] + (leftCharacter == rightCharacter ? 0 : 1)
                current.append(min(substitution, previous[column + 1] + 1, current[column] + 1))
            }
            previous = current
        }
        return previous[right.count]
    }
}

/// A section of a file whose keys are checked: the keys it accepts, kept beside its properties (a test compares the
/// two for every section, so they cannot drift apart).
public protocol KnownKeys {
    static var knownKeys: [String: KeyShape] { get }
}
