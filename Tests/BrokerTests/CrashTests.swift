import Foundation
import Ledger
import Testing

/// kill -9 in the middle of appending: what is on disk must be a valid prefix that audits clean.
struct CrashTests {
    @Test("a writer killed with SIGKILL mid-run leaves SQLite copies that are valid, whole-batch prefixes")
    func killNineLeavesValidPrefix() async throws {
        let directory = BrokerCLITests.temporary("crash")
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = BrokerCLITests.executable
        process.arguments = ["bench", "ledger", "--entries", "1000000", "--directory", directory.path, "--keep-files"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the writer has committed a few batches, then kill it without warning.
        let deadline = Date().addingTimeInterval(60)
        var copies: [URL] = []
        while Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            copies =
                (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil))?
                .filter { $0.pathExtension == "sqlite" } ?? []
            if let first = copies.first, let store = try? SQLiteLedgerStore(readOnlyPath: first.path),
                let id = try? store.ledgerIDs().first, (try? store.head(of: id).seq) ?? 0 >= 3_000
            {
                break
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(copies.count == 2)
        for copy in copies {
            let findings = try LedgerAuditor().audit(file: copy.path)
            #expect(findings.isEmpty, "\(copy.lastPathComponent): \(findings.prefix(3))")
            let store = try SQLiteLedgerStore(readOnlyPath: copy.path)
            let head = try store.head(of: try #require(try store.ledgerIDs().first))
            #expect(head.seq >= 1_000)
            #expect(head.seq % 1_000 == 0, "only whole batches of 1,000 are committed")
        }
    }
}
