import Foundation

/// A small deterministic mutation fuzzer: seeded, so a failing run is reproduced by its seed and iteration.
///
/// Mutations are what broke nodes in the hostile-input probe: numbers beyond every integer type, deep nesting,
/// duplicated members, control characters, truncation, and random byte damage. `FUZZ_ITERATIONS` sets how many
/// inputs each target gets (default 1,500, a few seconds in a debug build); `FUZZ_SEED` the seed.
struct Mutator {
    private var state: UInt64

    static var iterations: Int { ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1_500 }
    static var seed: UInt64 { ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED }

    init(seed: UInt64 = Mutator.seed) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    static let tokens: [String] = [
        "1e19", "-1e19", "1e400", "-9223372036854775808", "9223372036854775807", "18446744073709551616", "-0",
        "0.000000000000000000001", "NaN", "null", "true", "{}", "[]", "\"\"", "\"\\u0000\"", "\"\\ud800\"",
        String(repeating: "[", count: 600), String(repeating: "{\"a\":", count: 80), "\"x\":1,\"x\":2", "\n", "\t",
        "\u{7}", "é", "\"", "\\", ":", ",", "}", "]", "~", "&anchor", "*anchor", "!!binary", "- ", ": ", "#",
    ]

    /// One mutation of `input`: 1 to 4 edits.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(4) {
            switch below(6) {
            case 0 where !bytes.isEmpty:
                bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: next())
            case 1:
                let token = Array(Self.tokens[below(Self.tokens.count)].utf8)
                bytes.insert(contentsOf: token, at: below(bytes.count + 1))
            case 2 where !bytes.isEmpty:
                let start = below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(16)))
            case 3 where !bytes.isEmpty:
                let start = below(bytes.count)
                let slice = bytes[start..<min(bytes.count, start + 1 + below(64))]
                bytes.insert(contentsOf: slice, at: below(bytes.count + 1))
            case 4 where !bytes.isEmpty:
                bytes.removeSubrange(below(bytes.count)...)
            default:
                // Replace a number with an extreme one.
                if let index = bytes.indices.shuffled(using: &self).first(where: { (0x30...0x39).contains(bytes[$0]) })
                {
                    let token = Array(["1e19", "-9223372036854775808", "1e400", "NaN"][below(4)].utf8)
                    bytes.replaceSubrange(index...index, with: token)
                }
            }
        }
        return bytes
    }
}

extension Mutator: RandomNumberGenerator {}
