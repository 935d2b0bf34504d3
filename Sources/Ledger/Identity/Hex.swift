import Foundation

/// Lower-case hexadecimal text for bytes, the form every hash, key and signature takes in the SQLite schema.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes`.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(128)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of hex `text` (either case), or `nil` when it is not an even-length run of hex digits.
    static func decode(_ text: some StringProtocol) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = Data(capacity: utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// True when `text` is exactly `byteCount` bytes of lower-case hex, the canonical form this module writes.
    static func isCanonical(_ text: String, byteCount: Int) -> Bool {
        text.utf8.count == byteCount * 2 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit - 48
        case 97...102: digit - 87
        case 65...70: digit - 55
        default: nil
        }
    }
}

extension Data {
    /// Lower-case hex of these bytes.
    public var hexString: String { Hex.encode(self) }

    /// Decodes lower- or upper-case hex; `nil` when `hex` is not hex.
    public init?(hexString hex: String) {
        guard let data = Hex.decode(hex) else { return nil }
        self = data
    }
}
