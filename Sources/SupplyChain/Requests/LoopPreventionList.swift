import Crypto
import Foundation
import Ledger

/// The pseudo-anonymous list of every upstream buyer of a request (ETSI PDL-004, PDL-005).
///
/// Each buyer that forwards a request downstream appends one entry: a fresh random salt and
/// `SHA-256(salt ‖ UTF-8(party id))`. Salts are per entry, not per list, because a forwarding provider cannot
/// re-salt the entries it received without knowing their parties in clear. A seller finds itself by hashing its
/// own id with each entry's salt; a B-BUS screens a candidate seller the same way. Nobody reads identities off the
/// list; a party can only test whether a given id is on it.
public struct LoopPreventionList: Codable, Hashable, Sendable {
    /// One salted digest.
    public struct Entry: Codable, Hashable, Sendable {
        /// 16 random bytes, lowercase hex.
        public let salt: String
        /// `SHA-256(salt bytes ‖ UTF-8 party id)`, lowercase hex.
        public let digest: String

        public init(salt: String, digest: String) {
            self.salt = salt
            self.digest = digest
        }
    }

    public private(set) var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// This list with `party` added under `salt` (16 bytes from the caller's entropy source).
    public func appending(_ party: PartyID, salt: [UInt8]) -> LoopPreventionList {
        var copy = self
        copy.entries.append(Entry(salt: Hex.encode(salt), digest: Self.digest(party, salt: salt)))
        return copy
    }

    /// Whether `party` is one of the upstream buyers.
    public func lists(_ party: PartyID) -> Bool {
        entries.contains { entry in
            guard let salt = Hex.decode(entry.salt) else { return false }
            return Self.digest(party, salt: salt) == entry.digest
        }
    }

    static func digest(_ party: PartyID, salt: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Array(party.rawValue.utf8))
        return Hex.encode(Array(hasher.finalize()))
    }
}

/// Lowercase hexadecimal.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
