/// Where randomness comes from (loop-list salts). The simulator passes a seeded generator so that runs repeat;
/// the live node passes the system's.
public protocol EntropySource {
    mutating func bytes(_ count: Int) -> [UInt8]
}

/// A seeded, portable generator (SplitMix64): the same seed gives the same bytes on every machine.
public struct SeededEntropy: EntropySource, RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<8 where out.count < count {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }
}

/// The operating system's cryptographically secure generator, for live nodes.
public struct SystemEntropy: EntropySource {
    public init() {}

    public mutating func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
