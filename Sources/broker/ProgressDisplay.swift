import Foundation
import ScenarioModel
import Synchronization

/// Shows a run's progress on standard error, one line redrawn in place, when standard error is a terminal and the
/// user did not ask for quiet; otherwise does nothing. The line's text and its throttling are `ProgressMeter`'s.
final class ProgressDisplay: Sendable {
    private let enabled: Bool
    private let meter = Mutex(ProgressMeter(started: 0))
    private let shown = Mutex(false)
    private let clock = ContinuousClock()
    /// The first report's time: the rate counts from there (`bench simulate` measures the crypto bound first).
    private let start = Mutex<ContinuousClock.Instant?>(nil)

    /// - Parameter quiet: `--quiet`: never show anything.
    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) != 0
    }

    /// Redraws the line for `progress`, unless one was drawn a moment ago.
    func update(_ progress: RunProgress) {
        guard enabled else { return }
        let now = clock.now
        let began = start.withLock { first in
            let began = first ?? now
            first = began
            return began
        }
        let elapsed = now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard let line = meter.withLock({ $0.line(for: progress, at: seconds) }) else { return }
        shown.withLock { $0 = true }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    /// Redraws the line for a batch: `12/50 runs · 3.4 s`.
    func runs(_ done: Int, of total: Int) {
        guard enabled else { return }
        let now = clock.now
        let began = start.withLock { first in
            let began = first ?? now
            first = began
            return began
        }
        let elapsed = now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        shown.withLock { $0 = true }
        FileHandle.standardError.write(
            Data("\r\u{1B}[K\(done)/\(total) runs · \(String(format: "%.1f", seconds)) s".utf8))
    }

    /// Clears the line, so that the run's output starts on a clean line.
    func finish() {
        guard shown.withLock({ $0 }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
