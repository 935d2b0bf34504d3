import Foundation
import ScenarioModel

/// Runs one scenario on consecutive seeds, several runs at a time (one per core), and gathers each run's rows
/// into a `BatchReport` (`broker simulate --runs N`).
///
/// Each run is a whole simulation of its own (its own cores, ledgers and random streams), so runs share nothing
/// and the report does not depend on how they were scheduled: same scenario, runs and first seed, same report.
/// By default the runs keep their ledgers as heads and frontiers (`LedgerRetention.heads`): the statistics read no
/// entry, and the runs are not audited. With `.entries` each run keeps its entries and audits them, so a scenario's
/// `ledgers: clean` is checked in every run.
public enum BatchRunner {
    /// - Parameters:
    ///   - runs: how many runs, on seeds `firstSeed`, `firstSeed + 1`, …
    ///   - parallelism: runs at a time (default: the active cores).
    ///   - ledgers: what each run keeps of its ledgers; `.entries` audits every run.
    ///   - progress: called after each run with the number of runs finished.
    /// - Throws: `ScenarioError` when the scenario cannot be planned (checked on the first seed before any run).
    public static func run(
        _ scenario: Scenario, directory: URL, runs: Int, firstSeed: UInt64,
        parallelism: Int = ProcessInfo.processInfo.activeProcessorCount, ledgers: LedgerRetention = .heads,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> BatchReport {
        _ = try SimulationPlan(scenario, directory: directory, seedOverride: firstSeed)
        var outcomes: [(run: Int, rows: [RunRow], passed: Bool)] = []
        var notChecked: Set<String> = []
        try await withThrowingTaskGroup(of: (Int, [RunRow], Bool, [String]).self) { group in
            var next = 0
            func start() {
                let run = next
                next += 1
                group.addTask {
                    let plan = try SimulationPlan(
                        scenario, directory: directory, seedOverride: firstSeed &+ UInt64(run))
                    let simulator = try Simulator(plan: plan, audit: ledgers == .entries, ledgers: ledgers)
                    simulator.recordsExchanges = false
                    let result = try simulator.run()
                    return (
                        run, simulator.rows(of: result, run: run), result.passed,
                        result.expectations.filter(\.skipped).map(\.expectation)
                    )
                }
            }
            while next < min(runs, max(1, parallelism)) { start() }
            while let (run, rows, passed, skipped) = try await group.next() {
                outcomes.append((run, rows, passed))
                notChecked.formUnion(skipped)
                progress?(outcomes.count)
                if next < runs { start() }
            }
        }
        outcomes.sort { $0.run < $1.run }
        return BatchReport(
            scenario: scenario.name, runs: runs, firstSeed: firstSeed,
            runsMeetingExpectations: outcomes.filter(\.passed).count, rows: outcomes.flatMap(\.rows),
            expectationsNotChecked: notChecked.sorted())
    }
}
