import ArgumentParser

@main
struct Broker: AsyncParsableCommand {
    func run() async throws {}
}
