import Ledger
import SupplyChain

/// The random streams of stochastic behaviour: one per run seed, provider and purpose, independent of the stream
/// the protocol cores draw from, so that adding a distribution to one provider changes no other draw.
public enum StochasticStream {
    /// What a stream is for: drawn once per run while the plan is built (activation failures, capacities), or
    /// while the run goes (delays, silences).
    public enum Purpose: String, Sendable {
        case plan
        case run
    }

    /// A generator for `party`'s draws of `purpose` in the run with `seed`: splitmix64 seeded from the seed mixed
    /// with an FNV-1a hash of the provider id and the purpose.
    public static func entropy(seed: UInt64, party: PartyID, purpose: Purpose) -> SeededEntropy {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(purpose.rawValue)/\(party.rawValue)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return SeededEntropy(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ hash)
    }

    /// A number in [0, 1) from the top 53 bits of one draw.
    public static func unitInterval(_ entropy: inout SeededEntropy) -> Double {
        Double(entropy.next() >> 11) * 0x1.0p-53
    }

    /// Whether an event of probability `probability` happens, drawing once (no draw when it is 0 or 1).
    public static func happens(_ probability: Double, _ entropy: inout SeededEntropy) -> Bool {
        if probability <= 0 { return false }
        if probability >= 1 { return true }
        return unitInterval(&entropy) < probability
    }
}
