import ArgumentParser

@main
struct Broker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "A multi-party supply-chain broker with bilateral, co-signed ledgers.",
        discussion: """
            Exit codes: 0 ok, 1 findings or failed expectations, 2 bad input.
            """,
        subcommands: [AuditCommand.self, KeysCommand.self, BenchCommand.self]
    )
}
