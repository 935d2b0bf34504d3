import Foundation

/// Lower-case hexadecimal text for bytes, the form every hash, key and signature takes in the SQLite schema.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        encode(Array(bytes))
    }

    /// Lower-case hex of `bytes`, written straight into the string's storage.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }

    /// Appends the lower-case hex digits of `bytes` to `out`.
    public static func append(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        digits.withUnsafeBufferPointer { digits in
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
    }

    /// The bytes of hex `text` (either case), or `nil` when it is not an even-length run of hex digits.
    public static func decode(_ text: some StringProtocol) -> Data? {
        // The auditor decodes three of these per entry on every core: straight from the UTF-8 storage into one
        // buffer, with no per-byte append.
        if let decoded = text.utf8.withContiguousStorageIfAvailable({ decode(utf8: $0) }) { return decoded }
        return Array(text.utf8).withUnsafeBufferPointer { decode(utf8: $0) }
    }

    private static func decode(utf8: UnsafeBufferPointer<UInt8>) -> Data? {
        guard utf8.count % 2 == 0 else { return nil }
        var out = Data(count: utf8.count / 2)
        let valid = out.withUnsafeMutableBytes { bytes -> Bool in
            for index in 0..<bytes.count {
                guard let high = value(utf8[2 * index]), let low = value(utf8[2 * index + 1]) else { return false }
                bytes[index] = high << 4 | low
            }
            return true
        }
        return valid ? out : nil
    }

    /// True when `text` is exactly `byteCount` bytes of lower-case hex, the canonical form this module writes.
    public static func isCanonical(_ text: String, byteCount: Int) -> Bool {
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
