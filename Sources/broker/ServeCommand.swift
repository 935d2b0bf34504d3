import ArgumentParser
import Foundation
import Logging
import Node

/// `broker serve`: one provider as a live node speaking the MEF Sonata API over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run one provider as a live node (MEF Sonata over HTTP, signed requests, SQLite ledgers).",
        discussion: """
            NODE.yaml names the provider (inline in the scenario file's provider format, or a scenario file and a
            party), its peers (id, public key, and a URL for sellers and provider buyers), its key file, its SQLite
            database and the address to listen on. See README, "Live nodes".

            The node answers POQs and inquiries on /mefApi/sonata/productOfferingQualification/v7/..., shows an
            inquiry's answer as a quote on /mefApi/sonata/quoteManagement/v8/quote/{id}, takes orders on
            /mefApi/sonata/productOrderingManagement/v10/productOrder, buys from its sellers over the same routes,
            and agrees every ledger entry with the counterparty's node. GET /health and GET /metrics (Prometheus)
            are unsigned. SIGTERM or SIGINT stops it gracefully: in-flight requests finish, pending ledger entries
            are agreed, the database is flushed.

            Protocol time is the system clock. `clock: { mode: stepped, start: ..., controller: PEER }` in NODE.yaml
            makes it a clock only that peer moves (POST /clock/v1/advance): what `broker cluster` uses to run
            days of order delivery in seconds.

            Example:
              broker keys generate --party METRO --out metro.key
              broker serve --config metro.yaml
              curl http://127.0.0.1:8081/health
              curl http://127.0.0.1:8081/metrics

            Exit codes: 0 stopped cleanly, 2 bad configuration.
            """
    )

    @Option(help: "The node's configuration file (YAML).")
    var config: String

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        Logs.bootstrap(level: level)
        let configuration: NodeConfiguration
        let server: NodeServer
        var logger = Logger(label: "broker.node")
        do {
            configuration = try NodeConfiguration.load(path: config)
            logger[metadataKey: "party"] = "\(configuration.party)"
            server = try NodeServer(configuration: configuration, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("broker serve: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let started = logger
        try await server.run { port in
            started.info("listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        }
    }
}
