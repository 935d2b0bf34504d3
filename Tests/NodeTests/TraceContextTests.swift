import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Testing

/// W3C `traceparent` on requests between nodes: well-formed, one trace id for the whole chain, read on arrival.
@Suite(.serialized)
struct TraceContextTests {
    @Test("a forwarded request's traceparent is version 00 with the chain's trace id and a span of its own")
    func forwardedContext() throws {
        let first = TraceContext(forwarding: "SHOP/first", requestID: "A-1")
        let next = TraceContext(forwarding: "SHOP/first", requestID: "B-7")
        #expect(first.traceparent.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-01/) != nil)
        #expect(first.traceID == next.traceID)
        #expect(first.traceID == TraceContext.traceID(of: "SHOP/first"))
        #expect(first.parentID != next.parentID)
        #expect(TraceContext.traceID(of: "SHOP/second") != first.traceID)
        // What a receiver parses is what was sent.
        #expect(TraceContext(traceparent: first.traceparent) == first)
    }

    @Test(
        "a trace line reads back whole: every field, absent ones absent, quotes, slashes, control and non-ASCII characters"
    )
    func traceLineReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t.trace.jsonl").path
        let log = try TraceLog(path: path)
        var full = TraceLog.Line(
            type: "external", party: "MÉTRO", trace: "SHOP/q\"1\"", from: "A\nB", requestID: "r-1", itemID: "i\u{1}",
            seller: "NAT", sellerRequestID: "NAT-7", reason: "tab\there 😀")
        full.parentID = "00f067aa0ba902b7"
        let sparse = TraceLog.Line(type: "request", party: "P")
        log.write(full)
        log.write(sparse)
        log.close()
        let lines = TraceLog.read(path: path)
        try #require(lines.count == 2)
        full.traceID = TraceContext.traceID(of: "SHOP/q\"1\"")
        #expect(lines[0] == full)
        #expect(lines[1] == sparse)
        // One object per line, member names sorted, absent fields left out.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").last == #"{"party":"P","type":"request"}"#)
    }

    @Test("only a well-formed version-00 traceparent is read; a W3C trace id is kept as the trace id")
    func parsing() throws {
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let context = try #require(TraceContext(traceparent: valid))
        #expect(context.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.parentID == "00f067aa0ba902b7")
        #expect(TraceContext.traceID(of: context.traceID) == context.traceID)
        for bad in [
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // another version
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // short trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        ] {
            #expect(TraceContext(traceparent: bad) == nil, "\(bad)")
        }
    }

    @Test("a request that arrives with only a traceparent is traced under its trace id in the node's trace log")
    func incomingTraceparent() async throws {
        let fixture = try NodeRouteTests.Fixture(extra: "traceLog: seller.trace.jsonl")
        let body = try NodeRouteTests.fixture("ce_poq_new_epl")
        try await fixture.server.application().test(.router) { client in
            // Signed at the last moment: the signature is only good for 30 seconds.
            var headers = try NodeRouteTests.signed(.post, NodeRouteTests.poqPath, body: body, key: fixture.buyer)
            headers[NodeHeaders.traceparent] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let created = try await client.execute(
                uri: NodeRouteTests.poqPath, method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(created.status == .created)
        }
        let lines = TraceLog.read(path: fixture.directory.appendingPathComponent("seller.trace.jsonl").path)
        let request = try #require(lines.first { $0.type == "request" })
        #expect(request.trace == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(request.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(request.from == "BUYER")
        #expect(request.parentID == "00f067aa0ba902b7")
    }
}
