import ArgumentParser
import Foundation
import Ledger
import Logging
import Node

/// `broker witness`: a neutral validating node that cosigns the parties' co-signed checkpoints.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Run a neutral witness that cosigns ledger checkpoints and refuses forks and rollbacks.",
        discussion: """
            A third party to the bilateral ledgers (ETSI PDL §5, "a neutral validating node"). Live nodes with a \
            `witness:` entry in their node file send it each checkpoint both parties signed — both parties of a \
            ledger send it, so it hears each ledger from both sides — with the RFC 9162 consistency proof \
            between it and the last checkpoint the witness holds of that ledger. The witness checks both \
            signatures and that the ledger only grew, adds its own signature line (a C2SP signed-note \
            cosignature under its key file's name) and remembers the new head in --database. It never sees an \
            entry body.

            It refuses, and keeps each refusal with its proof (409: both notes in the answer):
              equivocation  409  both parties signed another root for a size it cosigned
              rollback      409  smaller than the last checkpoint it cosigned, without a proof that it is a
                                 prefix of it (with one, it is the slower party's copy of history: cosigned)
              inconsistent  409  no valid consistency proof from the last one it cosigned
              stale         409  the proof is from another size than its latest (proofFrom): ask again; not kept
              bad_signature 422  a party's signature is missing or invalid
              wrong_ledger  422  the header does not bind the ledger id, or has new keys

            Routes (unsigned: the notes carry the signatures):
              POST /witness/v1/checkpoints            {note, consistencyProof, ledger, proofFrom}
              GET  /witness/v1/ledgers/{id}           the latest cosigned note, 404 if none
              GET  /witness/v1/ledgers/{id}/refusals  the refusals about that ledger
              GET  /health                            status and verifier key

            At start it prints its verifier key (name+keyhash+base64key): put it in the nodes' files \
            (`witness: {url: http://host:port, key: <verifier key>}`) and give it to auditors \
            (`broker audit --witness-key <verifier key>`). See LEDGER.md, "The witness".

            Example:
              broker keys generate --party witness-1 --out witness.key
              broker witness --key witness.key --database witness.sqlite --port 8090
              curl http://127.0.0.1:8090/health

            Exit codes: 0 stopped cleanly, 2 bad input.
            """
    )

    @Option(help: "The witness's key file (broker keys generate); its party id names the witness.")
    var key: String

    @Option(help: "The SQLite file of what the witness cosigned and refused (created if missing).")
    var database: String

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port: Int = 8090

    @Option(help: "Only witness ledgers between parties listed here: one \"party-id <hex or base64 key>\" per line.")
    var keys: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        Logs.bootstrap(level: level)
        let logger = Logger(label: "broker.witness")
        let server: WitnessServer
        do {
            let directory = try keys.map { path -> KeyDirectory in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw NodeError(.badConfiguration, "--keys: cannot read \(path)")
                }
                return try KeyDirectory(parsing: String(decoding: data, as: UTF8.self))
            }
            server = try WitnessServer(
                keyFile: key, database: database, host: host, port: port, trustedKeys: directory, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("broker witness: \(error)\n".utf8))
            throw ExitCode(2)
        }
        // Unbuffered, so a script reading the first line gets it while the server runs.
        FileHandle.standardOutput.write(Data("witness \(server.witness.verifierKey)\n".utf8))
        let host = self.host
        try await server.run { port in
            logger.info("listening", metadata: ["host": "\(host)", "port": "\(port)"])
        }
    }
}
