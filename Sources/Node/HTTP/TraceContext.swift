import Crypto
import Foundation
import Ledger

/// W3C Trace Context (`traceparent`, version `00`) on the requests between nodes, so an operator follows one retail
/// request across providers with standard tools.
///
/// The trace id is derived from the node's trace (`X-SCBroker-Trace`, set by the first node from the retail
/// request and passed down the chain unchanged), so every node of the chain computes the same one: the first 16
/// bytes of `SHA-256("scbroker-trace\n" ‖ trace)`, or the trace itself when it already is a W3C trace id (a
/// retail request that came with a `traceparent`). The parent id of a forwarded request is derived from the trace
/// id and the request id, so a replayed journal sends the same header again.
public struct TraceContext: Sendable, Hashable {
    /// 32 lower-case hex digits, not all zeros.
    public let traceID: String
    /// 16 lower-case hex digits, not all zeros: the span of the sender that made this request.
    public let parentID: String
    /// Trace flags, 2 hex digits (`01`: sampled).
    public let flags: String

    /// The `traceparent` header value: `00-<trace id>-<parent id>-<flags>`.
    public var traceparent: String { "00-\(traceID)-\(parentID)-\(flags)" }

    /// Parses a `traceparent` value of version `00`; `nil` when it is not one (W3C Trace Context §3.2).
    public init?(traceparent: String) {
        let fields = traceparent.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, fields[0] == "00", Self.isID(fields[1], digits: 32),
            Self.isID(fields[2], digits: 16), fields[3].count == 2, fields[3].allSatisfy(\.isLowerHexDigit)
        else { return nil }
        traceID = fields[1]
        parentID = fields[2]
        flags = fields[3]
    }

    /// The context of a request forwarded for `trace` as request `requestID`.
    public init(forwarding trace: String, requestID: String) {
        traceID = Self.traceID(of: trace)
        let span = Self.digest("scbroker-span\n\(traceID)\n\(requestID)", bytes: 8)
        parentID = span.allSatisfy { $0 == "0" } ? "0000000000000001" : span
        flags = "01"
    }

    /// The W3C trace id of a node trace: the trace itself when it is one, else derived from it.
    public static func traceID(of trace: String) -> String {
        if isID(trace, digits: 32) { return trace }
        let id = digest("scbroker-trace\n\(trace)", bytes: 16)
        return id.allSatisfy { $0 == "0" } ? "00000000000000000000000000000001" : id
    }

    private static func digest(_ text: String, bytes: Int) -> String {
        Hex.encode(Array(SHA256.hash(data: Data(text.utf8)).prefix(bytes)))
    }

    private static func isID(_ text: String, digits: Int) -> Bool {
        text.utf8.count == digits && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            && text.utf8.contains { $0 != UInt8(ascii: "0") }
    }
}

extension Character {
    fileprivate var isLowerHexDigit: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}
