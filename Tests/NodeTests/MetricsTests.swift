import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Testing

/// `GET /metrics` of a live node, in process, with the node fixture of `NodeRouteTests`: unsigned, the Prometheus
/// text format, and the exact samples that a signed POQ (and a refused unsigned one) leave.
@Suite(.serialized)
struct MetricsTests {
    static let poqPath = NodeRoutes.poqPath

    /// The page's lines.
    static func lines(_ response: TestResponse) -> Set<String> {
        Set(String(buffer: response.body).split(separator: "\n").map(String.init))
    }

    @Test("GET /metrics (unsigned) counts the POQ route by status, the answer, the SOF ledger entries, itself")
    func metricsAfterPOQ() async throws {
        let fixture = try NodeRouteTests.Fixture()
        let body = try NodeRouteTests.fixture("ce_poq_new_epl")
        try await fixture.server.application().test(.router) { client in
            let created = try await client.execute(
                uri: Self.poqPath, method: .post,
                headers: NodeRouteTests.signed(.post, Self.poqPath, body: body, key: fixture.buyer),
                body: ByteBuffer(bytes: body))
            #expect(created.status == .created)
            var unsigned = HTTPFields()
            unsigned[.contentType] = "application/json"
            let refused = try await client.execute(
                uri: Self.poqPath, method: .post, headers: unsigned, body: ByteBuffer(bytes: body))
            #expect(refused.status == .unauthorized)

            let page = try await client.execute(uri: NodeMetrics.path, method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let lines = Self.lines(page)
            let post = #"route="\#(Self.poqPath)",method="POST""#
            let duration = "broker_node_http_request_duration_seconds"
            #expect(lines.contains("# TYPE broker_node_http_requests_total counter"))
            #expect(lines.contains(#"broker_node_http_requests_total{\#(post),status="201"} 1"#))
            #expect(lines.contains(#"broker_node_http_requests_total{\#(post),status="401"} 1"#))
            #expect(lines.contains("# TYPE \(duration) histogram"))
            #expect(lines.contains("\(duration)_count{\(post)} 2"))
            #expect(lines.contains(#"\#(duration)_bucket{\#(post),le="+Inf"} 2"#))
            // The deferred POQ is acknowledged (201), and answered at once: the SOF can deliver, no seller to wait for.
            #expect(lines.contains("# TYPE broker_node_poqs_answered_total counter"))
            #expect(lines.contains(#"broker_node_poqs_answered_total{state="READY"} 1"#))
            // One SOF answer per item for the internal ledger; like the buyer's entries, they wait in their lane
            // for the node service to run (a router test runs none): a backlog, nothing appended yet.
            #expect(lines.contains(#"broker_node_ledger_backlog_entries{counterparty="SELLER#sof"} 3.0"#))
            #expect(lines.contains(#"broker_node_ledger_backlog_entries{counterparty="BUYER"} 2.0"#))
            #expect(!lines.contains { $0.hasPrefix("broker_node_ledger_entries_appended_total") })
            // A request is recorded once answered: the first page does not show itself, the second does.
            #expect(!lines.contains { $0.contains(#"route="/metrics""#) })
            let again = try await client.execute(uri: NodeMetrics.path, method: .get)
            #expect(
                Self.lines(again).contains(
                    #"broker_node_http_requests_total{route="/metrics",method="GET",status="200"} 1"#))
        }
    }

    @Test("each node server has its own registry: a second one in the same process shows nothing of the first")
    func registryPerServer() async throws {
        let first = try NodeRouteTests.Fixture()
        let second = try NodeRouteTests.Fixture()
        try await first.server.application().test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let page = try await client.execute(uri: NodeMetrics.path, method: .get)
            let sample = #"broker_node_http_requests_total{route="/health",method="GET",status="200"} 1"#
            #expect(Self.lines(page).contains(sample))
        }
        try await second.server.application().test(.router) { client in
            let page = try await client.execute(uri: NodeMetrics.path, method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).isEmpty)
        }
    }
}
