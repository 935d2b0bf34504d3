import ArgumentParser

/// The `broker` command: argument parsing only; every subcommand calls a library.
@main
struct Broker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "A multi-party telecom supply-chain broker with signed, hash-chained bilateral ledgers.",
        discussion: """
            Providers sell ICT services (an Ethernet line across three operators, a managed cloud link) through \
            chains of buyers and sellers speaking the MEF Sonata API. Inside each provider an S-BUS takes the \
            buyer's request, an SCO decomposes it, the provider's SOF answers for what it owns and a B-BUS buys \
            the rest downstream, never from a seller on the request's loop-prevention list. Every request and \
            answer between two providers is recorded on their co-signed bilateral ledger.

            Examples:
              broker simulate                      run the embedded demo chain
              broker validate poq.json             check a Sonata payload against MEF 79.1
              broker audit out/ledgers             verify ledger copies
              broker serve --config metro.yaml     run one provider as a live HTTP node
              broker cluster diamond               run a scenario as live nodes on loopback
              broker generate --tiers 10,40,70,80 -o m.yaml   write a generated market
              broker simulate m.yaml --runs 50     statistics over 50 seeds
              broker invoice out/billing           list a run's invoices; --id ID prints one as HTML
              broker witness --key w.key --database w.sqlite   cosign checkpoints as a neutral witness

            Exit codes: 0 ok, 1 findings or failed expectations, 2 bad input.
            """,
        subcommands: [
            SimulateCommand.self, ValidateCommand.self, AuditCommand.self, KeysCommand.self, ServeCommand.self,
            ClusterCommand.self, BenchCommand.self, InvoiceCommand.self, WitnessCommand.self, GenerateCommand.self,
        ]
    )
}
