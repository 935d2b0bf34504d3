import Foundation
import Hummingbird
import Ledger
import Logging
import ServiceLifecycle

/// Assembles `broker witness`: the witness's key, its SQLite store and its HTTP server, run in one `ServiceGroup`
/// with graceful shutdown on SIGTERM and SIGINT.
public struct WitnessServer: Sendable {
    public let witness: Witness
    public let host: String
    public let port: Int
    let logger: Logger

    /// - Parameters:
    ///   - keyFile: the witness's key file (`broker keys generate`); its party id is the witness's name.
    ///   - database: the SQLite file of what it cosigned.
    ///   - trustedKeys: when given, only ledgers between parties listed there (with those keys) are witnessed.
    /// - Throws: `NodeError(.badConfiguration)` for an unreadable key file or database.
    public init(
        keyFile: String, database: String, host: String, port: Int, trustedKeys: KeyDirectory?, logger: Logger
    ) throws {
        do {
            let key = try KeyFile.read(from: keyFile).partyKey()
            witness = Witness(key: key, store: try SQLiteWitnessStore(path: database), trustedKeys: trustedKeys)
        } catch {
            throw NodeError(.badConfiguration, "\(error)")
        }
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// The HTTP application; `onRunning` gets the bound port (useful with port 0).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: WitnessRoutes.router(witness: witness, logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: "broker-witness"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: application(onRunning: onRunning))],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
