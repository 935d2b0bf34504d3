import ArgumentParser
import Foundation
import ScenarioModel
import SupplyChain

/// `broker generate`: writes the scenario file of a generated wholesale market.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a scenario file of a generated wholesale market (seeded: same options, same file).",
        discussion: """
            Providers sit in tiers: tier 0 sells to the retail buyers, each provider buys from --sellers \
            providers of the tier below, and a share (--peer-share) also buys from a peer of its own tier, half of \
            them both ways (mutual trading pairs and cycles, which loop prevention breaks). The lowest tier \
            delivers every offering (OFFER-0, …) at a few places (SITE-0, …) at a cost, lead time and confidence \
            drawn from the options. Retail requests arrive as a Poisson process (--rate per hour), each a POQ or \
            an inquiry (--inquiry-share) for one offering at one place, answered within --window.

            Every choice is drawn from --seed: the same options and seed write the same file, byte for byte. The \
            file is an ordinary scenario (README, "Scenario format"): edit it, `broker simulate` it, or run it on \
            many seeds with `broker simulate FILE --runs 50`.

            Ranges are written LOW-HIGH (100-900); a delay is fixed:30s, uniform:1s-5s or exponential:20m (with \
            ,cap:2h).

            Examples:
              broker generate > market.yaml
              broker generate --tiers 10,40,70,80 --sellers 3 --demands 10 -o m.yaml
              broker generate --tiers 10,40,70,80 --sellers 3 --demands 10 \\
                  --slow-tier 2 --slow-delay exponential:20m,cap:2h -o slow.yaml
              broker simulate slow.yaml --runs 50 --csv out/slow
              broker generate --preset benchmark --providers 60 --requests 40 --chains 30

            --preset benchmark writes the ecosystem of `broker bench simulate` (routes of 3 to 8 hops, one \
            offering per route); --preset reports that of `broker bench reports` (with --days).

            Exit codes: 0 written, 2 bad options.
            """
    )

    @Option(help: "tiered (default), benchmark or reports.") var preset = "tiered"
    @Option(help: "Providers per tier, tier 0 first.") var tiers = "2,4,4"
    @Option(help: "Sellers each provider buys from in the tier below.") var sellers = 2
    @Option(help: "Share of providers also buying from a peer of their tier (0-1).") var peerShare = 0.1
    @Option(help: "Product offerings the lowest tier delivers.") var offerings = 2
    @Option(help: "Places (0: every offering everywhere).") var places = 4
    @Option(help: "Places each catalog entry covers, LOW-HIGH.") var placesPerEntry = "1-3"
    @Option(help: "Monthly cost of a catalog entry, LOW-HIGH.") var cost = "100-900"
    @Option(help: "Weights of green, yellow and red confidence.") var confidence = "8,1,1"
    @Option(help: "Markup in percent, LOW-HIGH (whole or two decimals).") var markup = "3-20"
    @Option(help: "One-way latency of each link in milliseconds, LOW-HIGH.") var latency = "5-50"
    @Option(help: "Retail requests.") var demands = 10
    @Option(help: "Retail requests per hour (Poisson arrivals).") var rate = 60.0
    @Option(help: "Share of inquiries among them (0-1); the rest are POQs.") var inquiryShare = 0.0
    @Option(help: "Window of each request (1h, 10m, …).") var window = "1h"
    @Option(help: "Retail buyers.") var buyers = 5
    @Option(help: "A tier whose providers answer late.") var slowTier: Int?
    @Option(help: "Their delay on every message: fixed:D, uniform:D-D or exponential:MEAN[,cap:D].")
    var slowDelay = "exponential:20m,cap:2h"
    @Option(help: "Probability that any provider ignores a request (0-1).") var silence = 0.0
    @Option(help: "benchmark/reports presets: providers, requests, routes.") var providers = 1_000
    @Option(help: "benchmark/reports presets: retail requests.") var requests = 10_000
    @Option(help: "benchmark/reports presets: routes.") var chains = 2_000
    @Option(help: "reports preset: days of daily reports.") var days = 7
    @Option(help: "Name of the scenario.") var name: String?
    @Option(help: "Seed of every choice.") var seed: UInt64 = 1
    @Option(name: [.short, .long], help: "Write the file here (default: standard output).") var output: String?

    func run() throws {
        let text: String
        do {
            let parameters = try self.parameters()
            let command = Self.commandLine(Array(CommandLine.arguments.dropFirst(2)))
            text = try EcosystemGenerator.yaml(parameters, seed: seed, command: command)
        } catch {
            FileHandle.standardError.write(Data("broker generate: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            print(text, terminator: "")
        }
    }

    func parameters() throws(ScenarioError) -> EcosystemGenerator.Parameters {
        var parameters: EcosystemGenerator.Parameters
        switch preset {
        case "benchmark", "reports":
            parameters = .benchmark(
                EcosystemGenerator.Shape(
                    providers: providers, requests: requests, chains: chains,
                    reportingDays: preset == "reports" ? days : nil))
            parameters.name = name ?? parameters.name
            return parameters
        case "tiered":
            parameters = EcosystemGenerator.Parameters()
        default:
            throw ScenarioError(path: "--preset", message: "'\(preset)' is not one of: tiered, benchmark, reports")
        }
        let sizes = tiers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else {
            throw ScenarioError(path: "--tiers", message: "'\(tiers)' is not a list of tier sizes: 10,40,70,80")
        }
        parameters.name = name
        parameters.topology = .tiers(sizes.compactMap { $0 }, sellersPerProvider: sellers, peerShare: peerShare)
        parameters.offerings = offerings
        parameters.places = places
        parameters.placesPerEntry = try Self.range(placesPerEntry, "--places-per-entry")
        parameters.cost = try Self.range(cost, "--cost")
        let weights = confidence.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        parameters.confidence = weights
        parameters.markupBasisPoints = try Self.percentRange(markup, "--markup")
        parameters.latencyMillis = try Self.range(latency, "--latency")
        parameters.demands = demands
        parameters.ratePerHour = rate
        parameters.inquiryShare = inquiryShare
        parameters.window = try Self.duration(window, "--window")
        parameters.buyers = buyers
        parameters.slowTier = slowTier
        parameters.slowDelay = try Self.delay(slowDelay, "--slow-delay")
        parameters.silence = silence
        return parameters
    }

    /// The command that writes the file, for its first line: the options without where the file goes, so that the
    /// same options write the same bytes wherever they are written.
    static func commandLine(_ arguments: [String]) -> String {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "-o" || argument == "--output" {
                skipNext = true
                continue
            }
            if argument.hasPrefix("--output=") { continue }
            kept.append(argument)
        }
        return (["broker", "generate"] + kept).joined(separator: " ")
    }

    /// `100-900`, or `5` for one value.
    static func range(_ text: String, _ path: String) throws(ScenarioError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        if parts.count == 1, let value = parts[0] { return value...value }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low <= high else {
            throw ScenarioError(path: path, message: "'\(text)' is not a range LOW-HIGH (100-900)")
        }
        return low...high
    }

    /// `3-20` (percent) as basis points.
    static func percentRange(_ text: String, _ path: String) throws(ScenarioError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-").map { Double($0).flatMap { Int(exactly: ($0 * 100).rounded()) } }
        let values = parts.compactMap { $0 }
        guard values.count == parts.count, (1...2).contains(values.count), values[0] <= values[values.count - 1]
        else {
            throw ScenarioError(path: path, message: "'\(text)' is not a percentage range LOW-HIGH (3-20)")
        }
        return values[0]...values[values.count - 1]
    }

    static func duration(_ text: String, _ path: String) throws(ScenarioError) -> TimeSpan {
        guard let span = TimeSpan(parsing: text) else {
            throw ScenarioError(path: path, message: "'\(text)' is not a duration (250ms, 2s, 5m, 3h, 30d)")
        }
        return span
    }

    /// `fixed:30s`, `uniform:1s-5s`, `exponential:20m` or `exponential:20m,cap:2h`.
    static func delay(_ text: String, _ path: String) throws(ScenarioError) -> DelayDistribution {
        let bad = ScenarioError(
            path: path, message: "'\(text)' is not fixed:30s, uniform:1s-5s or exponential:20m[,cap:2h]")
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw bad }
        switch parts[0] {
        case "fixed":
            return .fixed(try duration(parts[1], path))
        case "uniform":
            let bounds = parts[1].split(separator: "-").map(String.init)
            guard bounds.count == 2 else { throw bad }
            let (low, high) = (try duration(bounds[0], path), try duration(bounds[1], path))
            guard low <= high else { throw bad }
            return .uniform(low, high)
        case "exponential":
            let pieces = parts[1].split(separator: ",").map(String.init)
            let mean = try duration(pieces[0], path)
            var cap = TimeSpan(milliseconds: mean.milliseconds * 10)
            if pieces.count == 2, pieces[1].hasPrefix("cap:") {
                cap = try duration(String(pieces[1].dropFirst(4)), path)
            } else if pieces.count != 1 {
                throw bad
            }
            guard mean > .zero, cap >= mean else { throw bad }
            return .exponential(mean: mean, cap: cap)
        default:
            throw bad
        }
    }
}
