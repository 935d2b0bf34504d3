import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Logging
import Sonata

/// The witness's HTTP routes (`broker witness`). Requests are not signed: every note carries the parties'
/// signatures, which is all the witness trusts.
///
///     POST /witness/v1/checkpoints              WitnessCheckpointRequest → 200 {"note"} | 409/422 refusal | 400
///                                               (409 `stale`: the proof is from another size than the latest)
///     GET  /witness/v1/ledgers/{id}             the latest cosigned note of a ledger (text/plain), 404 if none
///     GET  /witness/v1/ledgers/{id}/refusals    the refusals reported about a ledger (JSON array of answers)
///     GET  /health                              {"status": "up", "witness": "<verifier key>"}
public enum WitnessRoutes {
    public static let checkpointsPath = "/witness/v1/checkpoints"
    public static func ledgerPath(_ id: LedgerID) -> String { "/witness/v1/ledgers/\(id.rawValue)" }

    /// The largest request body accepted: a note and a proof are a few kilobytes.
    static let maxBodyBytes = 256 * 1024

    /// Builds the router for `witness`; refusals are logged with both notes.
    public static func router(witness: Witness, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/health") { _, _ -> Response in
            NodeRoutes.json(.ok, ["status": "up", "witness": witness.verifierKey.description])
        }
        router.post(RouterPath(checkpointsPath)) { request, _ -> Response in
            guard let buffer = try? await request.body.collect(upTo: maxBodyBytes) else {
                return failure(.contentTooLarge, "the body is larger than \(maxBodyBytes) bytes")
            }
            let body: WitnessCheckpointRequest
            let submission: WitnessSubmission
            do {
                body = try JSONDecoder().decode(WitnessCheckpointRequest.self, from: Data(buffer: buffer))
                submission = try body.submission()
            } catch let error as NodeError {
                return failure(.badRequest, error.message)
            } catch {
                return failure(
                    .badRequest,
                    "not a witness request {note, consistencyProof, ledger}: \(MEFError.describe(error).problem)")
            }
            let verdict: WitnessVerdict
            do {
                verdict = try witness.submit(submission)
            } catch {
                logger.error("witness store failed", metadata: ["error": "\(error)"])
                return failure(.internalServerError, "the witness could not store the checkpoint")
            }
            switch verdict {
            case .cosigned(let checkpoint):
                return NodeRoutes.json(.ok, WitnessAnswer(note: checkpoint.text))
            case .refused(let refusal):
                logger.warning(
                    "checkpoint refused",
                    metadata: [
                        "ledger": "\(submission.header.ledgerID)", "refusal": "\(refusal.code.rawValue)",
                        "message": "\(refusal.message)",
                        "witnessed": "\((refusal.witnessed?.text ?? "-").debugDescription)",
                        "presented": "\(refusal.presented.text.debugDescription)",
                    ])
                return NodeRoutes.json(status(of: refusal.code), WitnessAnswer(refusal))
            }
        }
        router.get("/witness/v1/ledgers/{ledger}") { _, context -> Response in
            let id = LedgerID(rawValue: context.parameters.get("ledger") ?? "")
            guard let latest = try witness.latest(of: id) else {
                return failure(.notFound, "no checkpoint of ledger \(id) was cosigned here")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: latest.text)))
        }
        router.get("/witness/v1/ledgers/{ledger}/refusals") { _, context -> Response in
            let id = LedgerID(rawValue: context.parameters.get("ledger") ?? "")
            return NodeRoutes.json(.ok, try witness.refusals(of: id).map(WitnessAnswer.init))
        }
        return router
    }

    /// 409 when the parties' history is at stake (the body carries the proof), 422 when the note itself is wrong.
    static func status(of code: WitnessRefusal.Code) -> HTTPResponse.Status {
        switch code {
        case .equivocation, .rollback, .inconsistent, .stale: .conflict
        case .badSignature, .wrongLedger: .unprocessableContent
        }
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
        NodeRoutes.json(status, ["error": message])
    }
}
