import CanonicalJSON
import Foundation
import Synchronization

/// A JSON-lines file of what a node's roles decided (requests received, sourcing), read by `broker cluster` to
/// report paths exactly as the simulator does. Thread-safe: the file is behind a mutex, so each line is written whole.
public final class TraceLog: Sendable {
    /// One line.
    public struct Line: Codable, Sendable, Hashable {
        public var type: String
        public var party: String
        public var trace: String?
        /// The W3C trace id of `trace` (`TraceContext`), filled in when the line is written.
        public var traceID: String?
        /// On a request received: the parent id of the `traceparent` it came with (the sender's span).
        public var parentID: String?
        public var from: String?
        public var requestID: String?
        public var itemID: String?
        public var seller: String?
        public var sellerRequestID: String?
        public var reason: String?

        public init(
            type: String, party: String, trace: String? = nil, from: String? = nil, requestID: String? = nil,
            itemID: String? = nil, seller: String? = nil, sellerRequestID: String? = nil, reason: String? = nil
        ) {
            self.type = type
            self.party = party
            self.trace = trace
            self.from = from
            self.requestID = requestID
            self.itemID = itemID
            self.seller = seller
            self.sellerRequestID = sellerRequestID
            self.reason = reason
        }

        /// The line as one JSON object, member names sorted, absent fields left out: what `JSONEncoder` with
        /// `.sortedKeys` wrote (a test reads it back with `JSONDecoder`), built as canonical JSON, which cost a
        /// fraction of it on every request a node traces.
        var json: Data {
            var members: [String: JSONValue] = ["type": .string(type), "party": .string(party)]
            let optional: [(String, String?)] = [
                ("trace", trace), ("traceID", traceID), ("parentID", parentID), ("from", from),
                ("requestID", requestID), ("itemID", itemID), ("seller", seller),
                ("sellerRequestID", sellerRequestID), ("reason", reason),
            ]
            for case (let name, let value?) in optional { members[name] = .string(value) }
            return JSONValue.object(members).canonicalData
        }
    }

    private let handle: Mutex<FileHandle>

    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw NodeError(.badConfiguration, "traceLog: cannot create \(path)")
            }
        }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        _ = try file.seekToEnd()
        handle = Mutex(file)
    }

    public func write(_ line: Line) {
        var line = line
        line.traceID = line.traceID ?? line.trace.map(TraceContext.traceID(of:))
        var data = line.json
        data.append(0x0A)
        handle.withLock { handle in try? handle.write(contentsOf: data) }
    }

    public func close() {
        handle.withLock { handle in try? handle.close() }
    }

    /// Reads every line of a trace file (unreadable lines are skipped).
    public static func read(path: String) -> [Line] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(Line.self, from: Data($0.utf8)) }
    }
}
