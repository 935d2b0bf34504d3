import Synchronization

/// Keeps the messages a node sends to one counterparty in the order its core emitted them: each send takes a turn
/// when it is started (on the node's actor, in the core's order) and waits for it before it goes out, so that two
/// messages sent at once (a fault notice and the outage it announces) cannot overtake each other on the network,
/// as they cannot in the simulator. Sends to different counterparties still go in parallel.
final class DeliveryOrder: Sendable {
    private struct Line {
        var issued: UInt64 = 0
        var serving: UInt64 = 0
        var waiting: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let lines = Mutex<[String: Line]>([:])

    /// The next turn on `line` (call it where the message is emitted, not in the job that sends it).
    func turn(on line: String) -> UInt64 {
        lines.withLock { lines in
            defer { lines[line, default: Line()].issued += 1 }
            return lines[line, default: Line()].issued
        }
    }

    /// Waits until every earlier turn on `line` is done.
    func wait(for turn: UInt64, on line: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = lines.withLock { lines in
                if lines[line, default: Line()].serving == turn { return true }
                lines[line, default: Line()].waiting[turn] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Ends `turn` on `line`: the next one may go.
    func done(_ turn: UInt64, on line: String) {
        let next = lines.withLock { lines -> CheckedContinuation<Void, Never>? in
            guard var state = lines[line], state.serving == turn else { return nil }
            state.serving += 1
            let next = state.waiting.removeValue(forKey: state.serving)
            lines[line] = state.issued == state.serving && state.waiting.isEmpty ? nil : state
            return next
        }
        next?.resume()
    }
}
