import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Sonata
import SupplyChain

/// The node's HTTP routes: MEF Sonata POQ v7 (seller side), the POQ notification listener (buyer side), hub
/// registration, ledger sync between counterparts, and health.
public enum NodeRoutes {
    public static let poqBase = "/mefApi/sonata/productOfferingQualification/v7"
    public static let poqPath = poqBase + "/productOfferingQualification"
    public static let hubPath = poqBase + "/hub"
    public static let listenerBase = "/mefApi/sonata/productOfferingQualificationNotification/v7/listener"

    public static func ledgerEntriesPath(_ id: LedgerID) -> String { "/ledger/v1/\(id.rawValue)/entries" }
    /// The `answer` query value with which the author of a batch asks for the countersignatures alone
    /// (`LedgerEntry.countersignatureWire`) instead of its entries sent back whole.
    public static let countersignaturesAnswer = "countersignatures"
    public static func ledgerCheckpointsPath(_ id: LedgerID) -> String { "/ledger/v1/\(id.rawValue)/checkpoints" }
    /// Where a publisher asks `neighbour` to review an entry of its omni-lateral ledger.
    public static func omniReviewPath(_ neighbour: PartyID) -> String { "/omni/v1/\(neighbour.rawValue)/reviews" }

    /// The MEF 79.1 Immediate Response bound (less than 30 seconds).
    static let immediateWindow = TimeSpan.seconds(30)

    /// Builds the router for `node`.
    public static func router(node: ProviderNode, verifier: RequestVerifier) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let limit = node.configuration.maxBodyBytes
        router.get("/health") { _, _ -> Response in
            let quarantined = await node.quarantined
            return json(
                .ok,
                Health(
                    status: "up", party: node.party.rawValue, quarantinedInputs: quarantined.count,
                    ledgerBacklog: node.ledgers.backlogs()))
        }
        signedRoute(router, .post, RouterPath(poqPath), limit: limit, verifier: verifier, json: true) {
            incoming, request, _ in
            return await createPOQ(incoming, node: node)
        }
        signedRoute(router, .get, RouterPath(poqPath), limit: limit, verifier: verifier, json: false) {
            incoming, request, _ in
            var list: [ProductOfferingQualificationFind] = []
            for (_, resource) in await node.resources(of: incoming.party) {
                if let poq = await node.render(resource) { list.append(ProductOfferingQualificationFind(poq)) }
            }
            return json(.ok, list)
        }
        signedRoute(router, .get, RouterPath(poqPath + "/{id}"), limit: limit, verifier: verifier, json: false) {
            incoming, request, context in
            let id = context.parameters.get("id") ?? ""
            guard let resource = await node.resource(id: id) else {
                return error(MEFError(code: .notFound, reason: "no productOfferingQualification '\(id)'"))
            }
            guard resource.buyer == incoming.party else {
                return error(
                    MEFError(code: .accessDenied, reason: "this productOfferingQualification is another buyer's"))
            }
            return await answer(resource, message: resource.latest, node: node, accept: incoming.accept, status: .ok)
        }
        addHubRoutes(
            to: router, path: hubPath, node: node, verifier: verifier,
            register: { input, buyer in await node.registerHub(input, buyer: buyer) },
            delete: { id, buyer in await node.deleteHub(id: id, buyer: buyer) })
        signedRoute(
            router, .post, RouterPath(listenerBase + "/{eventType}"), limit: limit, verifier: verifier, json: true
        ) { incoming, request, _ in
            guard let message = try? SupplyEnvelope.decodeMessage(from: incoming.body)
            else {
                return error(MEFError(code: .invalidBody, reason: "not a \(NodeHeaders.supplyChainMediaType) body"))
            }
            await node.receive(message, from: incoming.party)
            return Response(status: .noContent)
        }
        addOrderRoutes(to: router, node: node, verifier: verifier)
        addOrderHubRoutes(to: router, node: node, verifier: verifier)
        addTicketRoutes(to: router, node: node, verifier: verifier)
        addOperatorRoutes(to: router, node: node, verifier: verifier)
        addPerformanceRoutes(to: router, node: node, verifier: verifier)
        addBillingRoutes(to: router, node: node, verifier: verifier)
        addQuoteRoutes(to: router, node: node, verifier: verifier)
        addInventoryRoutes(to: router, node: node, verifier: verifier)
        addClockRoutes(to: router, node: node, verifier: verifier)
        addLedgerRoutes(
            to: router, limit: limit, verifier: verifier,
            now: { node.clock is WallClock ? node.clock.now().milliseconds : nil },
            behind: { party in node.jobs.start { _ = await node.ledgers.catchUp(with: party) } },
            crashPoint: node.ledgers.crashPoint,
            countersign: { checkpoint, party in
                let cosigned = try node.ledgers.countersign(checkpoint, from: party)
                if node.ledgers.witness != nil {
                    node.jobs.start { await node.ledgers.witnessCountersigned(cosigned, from: party) }
                }
                return cosigned
            },
            review: { neighbour, entry, publisher in
                guard neighbour == node.party.rawValue else { return nil }
                return try node.ledgers.review(entry, from: publisher)
            }
        ) { id, party in
            ledgerCopy(id, with: party, node: node)
        }
        return router
    }

    /// The ledger sync routes: a counterparty proposes an entry (countersigned here, or 409 with this copy's
    /// head) and fetches agreed entries from a seq. `copy` finds this side's copy of a ledger shared with a party;
    /// `now` is this side's clock (entries dated too far ahead are refused); `behind` is told when a proposal
    /// shows that this copy misses agreed entries the counterparty has, so this side catches up instead of the
    /// counterparty proposing in vain. `crashPoint` (tests only) may kill the process once a batch is committed.
    public static func addLedgerRoutes(
        to router: Router<BasicRequestContext>, limit: Int, verifier: RequestVerifier,
        now: @escaping @Sendable () -> Int64? = { nil }, behind: @escaping @Sendable (PartyID) -> Void = { _ in },
        crashPoint: CrashPoint? = nil,
        countersign: (@Sendable (Checkpoint, PartyID) throws -> Checkpoint)? = nil,
        review: @escaping @Sendable (String?, LedgerEntry, PartyID) throws -> OmniVerdict? = { _, _, _ in nil },
        copy: @escaping @Sendable (String?, PartyID) -> LedgerReplica?
    ) {
        // An entry of the caller's omni-lateral ledger, reviewed against this party's copy (LEDGER.md §13): the
        // countersignature or signed refusal; 409 while the records it lists are not on the copy yet.
        signedRoute(router, .post, "/omni/v1/{neighbour}/reviews", limit: limit, verifier: verifier, json: true) {
            incoming, _, context in
            guard let entry = try? JSONDecoder().decode(LedgerEntry.self, from: incoming.body) else {
                return error(MEFError(code: .invalidBody, reason: "not an omni-lateral ledger entry"))
            }
            do {
                guard let verdict = try review(context.parameters.get("neighbour"), entry, incoming.party) else {
                    return error(MEFError(code: .notFound, reason: "no such neighbour on this node"))
                }
                return json(.ok, verdict)
            } catch {
                let text = "\(error)"
                if text.contains(NodeLedgers.notYet) {
                    return Self.error(MEFError(code: .conflict, reason: text))
                }
                return Self.error(MEFError(code: .invalidValue, reason: "review refused: \(error)"))
            }
        }
        if let countersign {
            // A checkpoint the counterparty signed, checked against this copy, signed here too and stored.
            signedRoute(router, .post, "/ledger/v1/{ledger}/checkpoints", limit: limit, verifier: verifier, json: true)
            { incoming, _, context in
                guard let body = try? JSONDecoder().decode(CheckpointNote.self, from: incoming.body),
                    let checkpoint = try? Checkpoint.parse(body.note),
                    checkpoint.ledgerID?.rawValue == context.parameters.get("ledger")
                else {
                    return error(MEFError(code: .invalidBody, reason: "not a signed-note checkpoint of this ledger"))
                }
                do {
                    return json(.ok, CheckpointNote(note: try countersign(checkpoint, incoming.party).text))
                } catch {
                    return Self.error(MEFError(code: .invalidValue, reason: "checkpoint refused: \(error)"))
                }
            }
        }
        signedRoute(router, .post, "/ledger/v1/{ledger}/entries", limit: limit, verifier: verifier, json: true) {
            incoming, request, context in
            guard let replica = copy(context.parameters.get("ledger"), incoming.party) else {
                return error(MEFError(code: .notFound, reason: "no ledger with this id between you and this node"))
            }
            if incoming.body.first(where: { !" \t\r\n".utf8.contains($0) }) == UInt8(ascii: "[") {
                return await receiveBatch(
                    incoming, replica: replica, behind: behind, now: now(), crashPoint: crashPoint,
                    countersignaturesOnly: request.uri.queryParameters.get("answer") == countersignaturesAnswer)
            }
            guard let entry = try? JSONDecoder().decode(LedgerEntry.self, from: incoming.body) else {
                return error(MEFError(code: .invalidBody, reason: "not a ledger entry"))
            }
            do {
                switch try replica.receive(entry, now: now()) {
                case .countersigned(let agreed), .alreadyStored(let agreed):
                    return json(.ok, agreed)
                case .conflict(let head):
                    if entry.seq > head.seq + 1 { behind(incoming.party) }
                    return json(.conflict, head)
                }
            } catch let error as LedgerError {
                return Self.error(
                    MEFError(code: .invalidValue, reason: "entry refused: \(error)", propertyPath: "/"))
            } catch {
                return Self.error(MEFError(code: .internalError, reason: "entry not stored"))
            }
        }
        signedRoute(router, .get, "/ledger/v1/{ledger}/entries", limit: limit, verifier: verifier, json: false) {
            incoming, request, context in
            guard let replica = copy(context.parameters.get("ledger"), incoming.party) else {
                return error(MEFError(code: .notFound, reason: "no ledger with this id between you and this node"))
            }
            let from = request.uri.queryParameters.get("from").flatMap { UInt64($0) } ?? 1
            guard let entries = try? replica.entries(from: max(from, 1)) else {
                return error(MEFError(code: .internalError, reason: "cannot read the ledger"))
            }
            return json(.ok, wire: LedgerEntry.wireData(entries))
        }
    }

    private static func ledgerCopy(_ id: String?, with party: PartyID, node: ProviderNode) -> LedgerReplica? {
        guard let id else { return nil }
        return try? node.ledgers.replica(id: LedgerID(rawValue: id), counterparty: party)
    }

    // MARK: - POQ create

    private static func createPOQ(_ incoming: Incoming, node: ProviderNode) async -> Response {
        let payload = incoming.json ?? .null
        let (decoded, findings) = SonataValidator.admitPOQ(payload)
        guard let poq = decoded, findings.isEmpty else { return unprocessable(findings) }
        let kind: RequestKind
        if let text = incoming.headers[NodeHeaders.requestKind] {
            guard let value = RequestKind(rawValue: text) else {
                return error(
                    MEFError(code: .invalidValue, reason: "\(NodeHeaders.requestKind): '\(text)' is not poq or inquiry")
                )
            }
            kind = value
        } else {
            kind = .poq
        }
        switch await submit(payload, poq: poq, kind: kind, incoming: incoming, node: node) {
        case .success(let first):
            if let poq = first.poq {
                return answer(poq, message: first.message, accept: incoming.accept, status: .created)
            }
            return await answer(
                first.resource, message: first.message, node: node, accept: incoming.accept, status: .created)
        case .failure(let refusal):
            return refusal.response
        }
    }

    /// Hands an admitted POQ or inquiry to the node, with the supply-chain headers (loop-prevention list, deadline,
    /// buyer's id, reply address, trace), and returns its first answer.
    static func submit(
        _ payload: JSONValue, poq: ProductOfferingQualificationCreate, kind: RequestKind, incoming: Incoming,
        node: ProviderNode
    ) async -> Result<ProviderNode.FirstAnswer, ResponseError> {
        let headers = incoming.headers
        var list = LoopPreventionList()
        if let text = headers[NodeHeaders.loopPrevention] {
            guard let data = Base64URL.decode(text),
                let value = try? JSONValue.parse(data, maximumDepth: JSONValue.maximumRequestDepth)
                    .decode(LoopPreventionList.self)
            else {
                return .failure(
                    ResponseError(
                        error(
                            MEFError(
                                code: .invalidValue, reason: "\(NodeHeaders.loopPrevention) is not base64url JSON"))))
            }
            list = value
        }
        let now = node.clock.now()
        var respondBy: Instant
        if let text = headers[NodeHeaders.respondBy] {
            guard let date = MEFDateTime.parse(text) else {
                return .failure(
                    ResponseError(
                        error(MEFError(code: .invalidValue, reason: "\(NodeHeaders.respondBy) is not RFC 3339"))))
            }
            respondBy = Instant(date)
        } else if poq.instantSyncQualification == true {
            respondBy = now + immediateWindow
        } else {
            respondBy = poq.requestedPOQCompletionDate.map { Instant($0.date) } ?? now + .hours(1)
        }
        respondBy = min(respondBy, now + .days(60))
        let requestID = RequestID(
            headers[NodeHeaders.requestID] ?? poq.externalId ?? "\(incoming.party.rawValue)-\(now.milliseconds)")
        let request = SupplyRequest(
            id: requestID, kind: kind, payload: payload, loopPreventionList: list, respondBy: respondBy)
        let replyTo: String?
        switch checkedReplyTo(incoming, node: node) {
        case .success(let value): replyTo = value
        case .failure(let refusal): return .failure(refusal)
        }
        let first: ProviderNode.FirstAnswer?
        do {
            // The chain's trace, or a W3C trace id a retail client started.
            let context = headers[NodeHeaders.traceparent].flatMap { TraceContext(traceparent: $0) }
            first = try await node.submit(
                request, from: incoming.party, replyTo: replyTo, trace: headers[NodeHeaders.trace] ?? context?.traceID,
                context: context, decoded: poq)
        } catch {
            return .failure(
                ResponseError(
                    Self.error(
                        MEFError(code: .internalError, reason: "the request could not be recorded; nothing was done"))))
        }
        guard let first else {
            return .failure(
                ResponseError(error(MEFError(code: .timeOut, reason: "no answer before the request's deadline"))))
        }
        return .success(first)
    }

    /// The caller's `X-SCBroker-Reply-To`, when it names an address the node may send to (`OutboundTargets`).
    static func checkedReplyTo(_ incoming: Incoming, node: ProviderNode) -> Result<String?, ResponseError> {
        guard let text = incoming.headers[NodeHeaders.replyTo] else { return .success(nil) }
        switch node.outbound.check(text, for: incoming.party) {
        case .success(let url): return .success(url)
        case .failure(let refusal):
            return .failure(ResponseError(unprocessable(field: NodeHeaders.replyTo.rawName, refusal)))
        }
    }

    private static func answer(
        _ resource: ProviderNode.Resource, message: Message, node: ProviderNode, accept: String?,
        status: HTTPResponse.Status
    ) async -> Response {
        var shown = resource
        shown.latest = message
        return answer(
            await node.render(shown, asSent: status == .created), message: message, accept: accept, status: status)
    }

    /// The answer to a POQ already rendered: the supply envelope for a node, the Sonata POQ for a plain buyer.
    private static func answer(
        _ poq: ProductOfferingQualification?, message: Message, accept: String?, status: HTTPResponse.Status
    ) -> Response {
        if accept?.contains(NodeHeaders.supplyChainMediaType) == true {
            return json(
                status, SupplyEnvelope(productOfferingQualification: poq, message: message),
                contentType: NodeHeaders.supplyChainMediaType)
        }
        return json(status, poq)
    }

    // MARK: - Reading a request

    /// Adds a route whose requests are read first (size, content type when `json`, signature): `handler` sees only
    /// requests that passed, as `Incoming` with the caller's party; the others get their 4xx here.
    static func signedRoute(
        _ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: RouterPath, limit: Int,
        verifier: RequestVerifier, json: Bool,
        _ handler: @escaping @Sendable (Incoming, Request, BasicRequestContext) async -> Response
    ) {
        router.on(path, method: method) { request, context -> Response in
            switch await Incoming.read(request, limit: limit, verifier: verifier, requireJSON: json) {
            case .success(let incoming): return await handler(incoming, request, context)
            case .failure(let refusal): return refusal.response
            }
        }
    }

    /// A request that passed the checks every route makes: size, content type, JSON syntax and depth, signature.
    struct Incoming: Sendable {
        let party: PartyID
        let body: Data
        /// The body parsed (strict, at most `JSONValue.maximumRequestDepth` deep), on routes that take JSON.
        let json: JSONValue?
        let headers: HTTPFields
        let accept: String?

        static func read(
            _ request: Request, limit: Int, verifier: RequestVerifier, requireJSON: Bool
        ) async
            -> Result<Incoming, ResponseError>
        {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                return .failure(ResponseError(tooLarge(limit)))
            }
            var body = Data()
            do {
                body = Data(buffer: try await request.body.collect(upTo: limit))
            } catch {
                return .failure(ResponseError(tooLarge(limit)))
            }
            if requireJSON {
                let type = request.headers[.contentType].map(mediaType) ?? ""
                guard type == "application/json" || type == NodeHeaders.supplyChainMediaType else {
                    var response = Self.errorResponse(
                        MEFError(code: .invalidBody, reason: "Content-Type must be application/json"))
                    response.status = .unsupportedMediaType
                    return .failure(ResponseError(response))
                }
            }
            var signature: RequestSignature?
            if let keyID = request.headers[NodeHeaders.keyID],
                let audience = request.headers[NodeHeaders.audience],
                let timestamp = request.headers[NodeHeaders.timestamp].flatMap({ Int64($0) }),
                let nonce = request.headers[NodeHeaders.nonce],
                let value = request.headers[NodeHeaders.signature].flatMap({ Data(base64Encoded: $0) })
            {
                signature = RequestSignature(
                    keyID: PartyID(keyID), audience: PartyID(audience), timestamp: timestamp, nonce: nonce,
                    signature: value)
            }
            var path = request.uri.path
            if let query = request.uri.query { path += "?" + query }
            switch verifier.verify(method: request.method.rawValue, path: path, body: body, signature: signature) {
            case .success(let party):
                // Parsed only once the caller is known: strict I-JSON, nested at most maximumRequestDepth deep.
                var json: JSONValue?
                if requireJSON {
                    do {
                        json = try JSONValue.parse(body, maximumDepth: JSONValue.maximumRequestDepth)
                    } catch let error as JSONParseError {
                        return .failure(
                            ResponseError(
                                errorResponse(MEFError(code: .invalidBody, reason: "the body is not JSON: \(error)"))))
                    } catch {
                        return .failure(
                            ResponseError(errorResponse(MEFError(code: .invalidBody, reason: "the body is not JSON"))))
                    }
                }
                return .success(
                    Incoming(
                        party: party, body: body, json: json, headers: request.headers,
                        accept: request.headers[.accept]))
            case .failure(let refusal):
                let code: MEFErrorCode = refusal == .unsigned ? .missingCredentials : .invalidCredentials
                return .failure(ResponseError(errorResponse(MEFError(code: code, reason: refusal.rawValue))))
            }
        }

        /// The protocol message of a supply envelope body (`SupplyEnvelope.decodeMessage`), from the tree already
        /// parsed on routes that take JSON.
        var message: Message? {
            if let json { return try? SupplyEnvelope.decodeMessage(json) }
            return try? SupplyEnvelope.decodeMessage(from: body)
        }

        /// The media type of a Content-Type value, without parameters, lower-cased (`application/json`).
        static func mediaType(_ value: String) -> String {
            let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return type.trimmingCharacters(in: .whitespaces).lowercased()
        }

        private static func tooLarge(_ limit: Int) -> Response {
            var response = errorResponse(
                MEFError(code: .invalidBody, reason: "the body is larger than this node's limit of \(limit) bytes"))
            response.status = .contentTooLarge
            return response
        }

        static func errorResponse(_ error: MEFError) -> Response { NodeRoutes.error(error) }
    }

    /// What `GET /health` says: the node is up, whose it is, and how many journal inputs it set aside at its last
    /// start (see `InputJournal.replayable()`; the log names them).
    struct Health: Codable, Sendable {
        let status: String
        let party: String
        let quarantinedInputs: Int
        /// Per counterparty with entries waiting: how many, and how long the oldest has waited.
        let ledgerBacklog: [NodeLedgers.Backlog]
    }

    /// A response built while reading a request, when the request is refused.
    struct ResponseError: Error, @unchecked Sendable {
        let response: Response
        init(_ response: Response) { self.response = response }
    }

    // MARK: - Bodies

    static func unprocessable(_ findings: [ValidationFinding]) -> Response {
        let errors = findings.map { finding in
            MEFError(
                code: .invalidValue, reason: "\(finding.rule): \(finding.message)", message: finding.rule,
                propertyPath: finding.path)
        }
        return json(.unprocessableContent, errors)
    }

    /// A 422 for an address the node will not send to.
    static func unprocessable(field: String, _ refusal: OutboundTargets.Refusal) -> Response {
        json(
            .unprocessableContent,
            [MEFError(code: .invalidValue, reason: refusal.reason, message: "SCBROKER-OUTBOUND", propertyPath: field)])
    }

    static func error(_ error: MEFError) -> Response {
        json(HTTPResponse.Status(code: error.httpStatus), error)
    }

    /// A JSON response with members sorted and slashes unescaped: written from the value's JSON tree (its
    /// canonical form), or by `JSONEncoder` when the tree cannot hold it exactly (an integer beyond 2^53).
    static func json(
        _ status: HTTPResponse.Status, _ value: some Encodable, contentType: String = "application/json"
    ) -> Response {
        if let tree = try? JSONValue(exactlyEncoding: value) {
            return json(status, wire: tree.canonicalData, contentType: contentType)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return json(status, wire: (try? encoder.encode(value)) ?? Data("{}".utf8), contentType: contentType)
    }

    /// A response with JSON text already written.
    static func json(
        _ status: HTTPResponse.Status, wire data: Data, contentType: String = "application/json"
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
