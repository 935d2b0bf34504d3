import Foundation

/// Waits until `condition` holds, looking every 20 ms, for at most `limit`. The limit is generous on purpose: a
/// notification or a ledger lane on a loaded two-core CI machine can take seconds, and in the whole suite long
/// simulations can hold both threads of the cooperative pool for tens of seconds; a budget of a few seconds made
/// tests fail that way. The caller's expectations then say what was missing.
func waitUntil(within limit: Duration = .seconds(120), _ condition: () async throws -> Bool) async rethrows {
    let deadline = ContinuousClock.now + limit
    while try await !condition(), ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(20))
    }
}
