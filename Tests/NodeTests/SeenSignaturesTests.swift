import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Node

/// The replay cache's file, written by group commit: every accepted signature is in the file when its insert
/// returns, however many requests insert at once.
struct SeenSignaturesTests {
    @Test(
        "Signatures accepted at once from many threads are each accepted once, and all are in the file after a restart")
    func concurrentInsertsAreAllKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("node-replay.sqlite").path
        let now: Int64 = 1_800_000_000_000
        let seen = try SeenSignatures(path: path, now: now)
        // 400 signatures, each inserted twice, from 8 threads at once.
        let signatures = (0..<400).map { Data("signature-\($0)".utf8) }
        let accepted = Mutex<[Data: Int]>([:])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in stride(from: thread, to: signatures.count * 2, by: 8) {
                let signature = signatures[index % signatures.count]
                if seen.insert(signature, at: now, keepFor: 60_000) {
                    accepted.withLock { $0[signature, default: 0] += 1 }
                }
            }
        }
        let counts = accepted.withLock { $0 }
        #expect(counts.count == 400)
        #expect(counts.values.allSatisfy { $0 == 1 })

        let restarted = try SeenSignatures(path: path, now: now + 1_000)
        #expect(restarted.count == 400)
        #expect(!restarted.insert(signatures[0], at: now + 1_000, keepFor: 60_000))
        #expect(!restarted.insert(signatures[399], at: now + 1_000, keepFor: 60_000))
        #expect(restarted.insert(Data("new".utf8), at: now + 1_000, keepFor: 60_000))
    }
}
