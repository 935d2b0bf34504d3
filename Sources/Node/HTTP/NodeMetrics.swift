import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import Prometheus
import Sonata
import SupplyChain

/// The Prometheus metrics of one live node (`broker serve`) and the unsigned `GET /metrics` page that shows them in
/// the Prometheus text exposition format (`text/plain; version=0.0.4`).
///
/// **One registry per server, no global bootstrap.** Every `NodeServer` creates one `NodeMetrics`, and every
/// `NodeMetrics` owns its own `PrometheusCollectorRegistry`; the metrics are made on that registry directly, never
/// through swift-metrics' global `MetricsSystem`. `MetricsSystem.bootstrap` may run only once per process, while the
/// tests build many servers in one process: with a registry per server, each server's page shows only its own
/// requests, and tests can assert exact values. Nothing bootstraps the global system, `broker serve` included,
/// because nothing the node links records through it. Hummingbird's `MetricsMiddleware` is not used: it records only
/// through the global system (it takes no factory), so `instrumented(_:)` counts and times the requests instead.
/// Should a dependency start recording through swift-metrics, `broker serve` may bootstrap once with
/// `PrometheusMetricsFactory(registry: server.metrics.registry)` so that those metrics land on the same page.
///
/// The metrics (a series appears with its first sample):
/// - `broker_node_http_requests_total{route, method, status}` (counter): requests answered, by route template (as
///   registered, `…/productOfferingQualification/{id}`; `NotFound` when no route matched), method and status code.
/// - `broker_node_http_request_duration_seconds{route, method}` (histogram): from the request reaching the router to
///   its response being ready (bodies are buffered, so this is the whole handling).
/// - `broker_node_ledger_entries_appended_total{counterparty}` (counter): entries this node authored and committed to
///   its copy once agreed, by counterparty: countersigned by the counterparty's node, or appended to both copies of
///   the internal ledger with the provider's own SOF (counterparty `P#sof`). Entries this node countersigns for a
///   counterparty (`POST /ledger/v1/{id}/entries`) and entries fetched at catch-up are not counted.
/// - `broker_node_ledger_conflicts_total{counterparty, outcome}` (counter): proposals the counterparty answered 409,
///   `rebased` when this copy took the counterparty's newer entries and proposed again, `backedOff` when there was
///   nothing newer to take (the counterparty's copy is behind, or it waits for a request still on its way) and the
///   lane backed off before proposing again.
/// - `broker_node_ledger_backlog_entries{counterparty}` (gauge): entries this node authored that wait for the
///   counterparty's countersignature (an unreachable counterparty's grow; nothing is dropped).
/// - `broker_node_ledger_entries_refused_total{counterparty}` (counter): entries the counterparty refused outright
///   (422: they break a rule there), taken off the lane and never proposed again.
/// - `broker_node_poqs_answered_total{state}` (counter): final answers to buyers (POQs and inquiries), by MEF 79.1
///   state (`READY`, `REJECTED`, `UNABLE_TO_MEET_TIME`); acknowledgements are not answers.
///
/// - `broker_node_order_events_total{event}` (counter): what this node told its buyers about their orders, by the
///   event's ledger kind (`order.accepted`, `order.activated`, `order.rejected`, `change.completed`, …).
///
/// `NodeLedgers` counts entries where it commits them; `ProviderNode` counts answers and order events.
public final class NodeMetrics: Sendable {
    /// The route of the page.
    public static let path = "/metrics"
    /// The Prometheus text exposition format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// Request duration buckets, from a cached answer to an immediate POQ's 30 s window and beyond. (`Swift.Duration`
    /// throughout: Sonata, imported for the POQ states, has a `Duration` of its own.)
    static let durationBuckets: [Swift.Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    /// Every metric of this node; `emitToString()` renders them.
    public let registry: PrometheusCollectorRegistry

    /// - Parameter registry: where the metrics are made; a new one by default, this node's alone.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    // MARK: - Recording

    /// One request answered.
    public func requestAnswered(
        route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, duration: Swift.Duration
    ) {
        registry.makeCounter(
            descriptor: Self.requests,
            labels: [("route", route), ("method", method.rawValue), ("status", String(status.code))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration, labels: [("route", route), ("method", method.rawValue)],
            buckets: Self.durationBuckets
        ).record(duration)
    }

    /// One ledger entry this node authored, agreed with `counterparty` and committed to this node's copy.
    public func ledgerEntryAppended(counterparty: PartyID) {
        registry.makeCounter(descriptor: Self.ledgerEntries, labels: [("counterparty", counterparty.rawValue)])
            .increment()
    }

    /// One proposal `counterparty` answered with a conflict; `progressed` when fetching its entries moved this
    /// copy's head (a race), not when its copy was behind (then the lane backs off).
    public func ledgerConflict(counterparty: PartyID, progressed: Bool) {
        registry.makeCounter(
            descriptor: Self.ledgerConflicts,
            labels: [("counterparty", counterparty.rawValue), ("outcome", progressed ? "rebased" : "backedOff")]
        ).increment()
    }

    /// An entry the counterparty refused outright (422): taken off the lane, never proposed again.
    public func ledgerEntryRefused(counterparty: PartyID) {
        registry.makeCounter(descriptor: Self.ledgerRefused, labels: [("counterparty", counterparty.rawValue)])
            .increment()
    }

    /// How many of this node's entries wait to be agreed by `counterparty`.
    public func ledgerBacklog(counterparty: PartyID, entries: Int) {
        registry.makeGauge(descriptor: Self.ledgerBacklog, labels: [("counterparty", counterparty.rawValue)])
            .set(to: Double(entries))
    }

    /// One notice about an order sent to a buyer.
    public func orderEvent(_ event: OrderEvent) {
        registry.makeCounter(descriptor: Self.orderEvents, labels: [("event", event.ledgerKind)]).increment()
    }

    /// One final answer sent to a buyer.
    public func poqAnswered(_ state: MEF79POQState) {
        registry.makeCounter(descriptor: Self.answers, labels: [("state", state.rawValue)]).increment()
    }

    // MARK: - Serving

    /// Adds the unsigned `GET /metrics` to `router` and returns the router's responder, with every request it
    /// answers counted and timed. Wrapping the built responder, rather than adding a middleware (which Hummingbird
    /// applies only to the routes added after it), measures every route however it was added, and the requests no
    /// route matched.
    /// - Parameter token: when given, the page is served only with `Authorization: Bearer <token>` (its labels name
    ///   every trading partner); 401 otherwise.
    public func instrumented<Context: RequestContext>(
        _ router: Router<Context>, token: String? = nil
    ) -> InstrumentedResponder<Context> {
        router.get(RouterPath(Self.path)) { request, _ -> Response in
            if let token {
                let given = Array((request.headers[.authorization] ?? "").utf8)
                let expected = Array("Bearer \(token)".utf8)
                // Compared in constant time for equal lengths.
                let same =
                    given.count == expected.count && zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
                guard same else {
                    var headers = HTTPFields()
                    headers[.wwwAuthenticate] = "Bearer"
                    return Response(status: .unauthorized, headers: headers)
                }
            }
            return self.page()
        }
        return InstrumentedResponder(inner: router.buildResponder(), metrics: self)
    }

    /// The page: every metric of this node in the text exposition format.
    func page() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType
        return Response(
            status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    /// A router's responder that records each request in `NodeMetrics` once answered.
    public struct InstrumentedResponder<Context: RequestContext>: HTTPResponder {
        let inner: RouterResponder<Context>
        let metrics: NodeMetrics

        public func respond(to request: Request, context: Context) async throws -> Response {
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let response = try await inner.respond(to: request, context: context)
                record(request, context: context, status: response.status, duration: clock.now - start)
                return response
            } catch {
                let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
                record(request, context: context, status: status, duration: clock.now - start)
                throw error
            }
        }

        /// The router stores the matched route's template in the context (a shared box), `NotFound` when none.
        private func record(
            _ request: Request, context: Context, status: HTTPResponse.Status, duration: Swift.Duration
        ) {
            metrics.requestAnswered(
                route: context.endpointPath ?? "NotFound", method: request.method, status: status, duration: duration)
        }
    }

    // MARK: - Names

    /// `broker_node_<name>_<unit>`, with its help text.
    private static func named(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "broker", subsystem: "node", metricName: name, unitName: unit, helpText: help)
    }

    private static var requests: MetricNameDescriptor {
        named(
            "http_requests", unit: "total", help: "HTTP requests answered, by route template, method and status code.")
    }

    private static var requestDuration: MetricNameDescriptor {
        named(
            "http_request_duration", unit: "seconds",
            help: "Time from a request reaching the router to its response, by route template and method.")
    }

    private static var ledgerEntries: MetricNameDescriptor {
        named(
            "ledger_entries_appended", unit: "total",
            help: "Ledger entries this node authored and committed once agreed, by counterparty.")
    }

    private static var ledgerConflicts: MetricNameDescriptor {
        named(
            "ledger_conflicts", unit: "total",
            help: "Ledger proposals answered with a conflict, by counterparty and outcome (rebased, backedOff).")
    }

    private static var ledgerRefused: MetricNameDescriptor {
        named(
            "ledger_entries_refused", unit: "total",
            help: "Entries this node authored that the counterparty refused outright (never proposed again).")
    }

    private static var ledgerBacklog: MetricNameDescriptor {
        named(
            "ledger_backlog", unit: "entries",
            help: "Entries this node authored that wait for the counterparty's countersignature.")
    }

    private static var answers: MetricNameDescriptor {
        named(
            "poqs_answered", unit: "total", help: "Final answers to buyers' POQs and inquiries, by MEF 79.1 state.")
    }

    private static var orderEvents: MetricNameDescriptor {
        named(
            "order_events", unit: "total",
            help: "Notices this node sent its buyers about their orders, by event (ledger kind).")
    }
}
