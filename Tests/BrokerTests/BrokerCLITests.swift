import Foundation
import Ledger
import Testing

/// The `broker` executable as a user runs it: output and exit codes.
struct BrokerCLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `broker` binary SwiftPM built next to the test bundle.
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("broker").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("broker")
    }

    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SonataTests/Fixtures")

    /// Runs `broker` off the test runner's cooperative threads (it waits for the process; those threads are few, and
    /// the in-process route tests need them before their signed requests go stale).
    static func broker(_ arguments: String...) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try run(arguments) }) }
        }
    }

    private static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }

    /// A fresh directory with the ledger files of `broker simulate diamond --out`.
    static func simulatedDiamond(_ name: String) async throws -> URL {
        let directory = temporary(name)
        let run = try await broker("simulate", "diamond", "--out", directory.path)
        try #require(run.status == 0, "\(run.stderr)")
        return directory
    }

    /// Runs `sqlite3` on a file, as an attacker with the file would.
    static func sqlite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "sqlite3 \(sql)")
    }

    @Test("validate: 0 when clean, 1 with findings naming path and rule, 2 when not JSON")
    func validateExitCodes() async throws {
        let clean = try await Self.broker(
            "validate", Self.examples.appendingPathComponent("ce_Use_Case_2a_POQ_-_new_EPL,_new_UNIs.json").path)
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("ok (poq)"))
        let finding = try await Self.broker(
            "validate", Self.examples.appendingPathComponent("ia_Use_Case_2_POQ_-_Basic_Internet_Access.json").path)
        #expect(finding.status == 1)
        #expect(finding.stdout.contains("/requestedPOQCompletionDate\tMEF79-R11\t"))
        let file = Self.temporary("bad").appendingPathExtension("json")
        try Data("{\"productOfferingQualificationItem\": [".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let broken = try await Self.broker("validate", file.path)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("not JSON"))
    }

    @Test("simulate: the demo passes (0); a bad scenario is refused with the field path (2)")
    func simulateExitCodes() async throws {
        let demo = try await Self.broker("simulate")
        #expect(demo.status == 0)
        #expect(demo.stdout.contains("path: RETAIL → METRO → NATIONAL → REGIONAL → ACCESS"))
        let file = Self.temporary("scenario").appendingPathExtension("yaml")
        try Data("name: x\nproviders: [{ id: A, markup: lots }]\ndemand: []\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let bad = try await Self.broker("simulate", file.path)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("providers[0].markup: 'lots' is not a percentage"))
    }

    @Test("simulate --out then audit: the written ledgers audit clean; a changed body is found (exit 1)")
    func simulateThenAudit() async throws {
        let directory = try await Self.simulatedDiamond("out")
        defer { try? FileManager.default.removeItem(at: directory) }
        let audit = try await Self.broker("audit", directory.path)
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        let shop = directory.appendingPathComponent("SHOP.sqlite").path
        let east = directory.appendingPathComponent("EAST.sqlite").path
        #expect(try await Self.broker("audit", shop, "--against", east).status == 0)
        try Self.sqlite(
            east, "UPDATE entries SET body = replace(body, 'READY', 'REJECTED') WHERE kind = 'quote.response'")
        let tampered = try await Self.broker("audit", east)
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("bad_entry_hash"))
    }

    @Test("simulate --out: every copy ends with a co-signed checkpoint of all of it; a copy cut short is caught alone")
    func simulateCheckpointsEveryCopy() async throws {
        let directory = try await Self.simulatedDiamond("out-checkpoints")
        defer { try? FileManager.default.removeItem(at: directory) }
        let east = directory.appendingPathComponent("EAST.sqlite").path
        let file = try LedgerFile(path: east)
        #expect(!file.copies.isEmpty)
        for copy in file.copies {
            let checkpoint = try #require(file.checkpoint(of: copy.ledgerID))
            #expect(checkpoint.size == UInt64(copy.rows.count), "\(copy.ledgerID)")
            #expect(checkpoint.signatures.map(\.name).sorted() == [copy.header.partyA, copy.header.partyB].sorted())
        }
        // EAST's copy of one ledger loses its last entry; EAST's file alone proves it.
        let ledger = try #require(file.copies.first)
        try Self.sqlite(
            east,
            "DELETE FROM entries WHERE ledger_id = '\(ledger.ledgerID)' AND seq = \(ledger.rows.count)")
        let audit = try await Self.broker("audit", east)
        #expect(audit.status == 1)
        #expect(
            audit.stdout == "\(ledger.ledgerID)\t\(ledger.rows.count)\tEAST\ttruncated\tcheckpoint covers "
                + "\(ledger.rows.count) entries, the copy holds \(ledger.rows.count - 1)\n")
    }

    @Test("audit DIR skips a SQLite file without ledger tables with a note; only such files is bad input (2)")
    func auditSkipsJournals() async throws {
        let directory = try await Self.simulatedDiamond("out-journal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("EAST-journal.sqlite").path
        try Self.sqlite(journal, "CREATE TABLE inputs (id INTEGER PRIMARY KEY, body BLOB)")
        let audit = try await Self.broker("audit", directory.path)
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stderr == "broker audit: skipped \(journal): not a ledger file (no ledgers and entries tables)\n")
        let alone = try await Self.broker("audit", journal)
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("no ledger file in \(journal)"))
    }

    @Test(
        "cluster --work-dir then audit DIR: every ledger's two copies paired and clean, journals and outboxes skipped; a copy cut short is caught"
    )
    func clusterThenAudit() async throws {
        let directory = Self.temporary("cluster-loop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/loop.yaml").path
        // On the stepped clock: the scenario's 30-minute windows pass in seconds.
        let cluster = try await Self.broker("cluster", scenario, "--work-dir", directory.path, "--clock", "stepped")
        try #require(cluster.status == 0, "\(cluster.stdout)\(cluster.stderr)")
        let audit = try await Self.broker("audit", directory.path)
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.isEmpty)
        for party in ["A", "B", "C", "D"] {
            for file in ["\(party)-journal.sqlite", "\(party)-replay.sqlite", "\(party)-outbox.sqlite"] {
                let path = directory.appendingPathComponent(file).path
                #expect(audit.stderr.contains("broker audit: skipped \(path): not a ledger file"), "\(file)")
            }
        }
        #expect(audit.stderr.split(separator: "\n").count == 12)

        // B's copy of its ledger with A loses all but two entries: pairing it with A's copy catches it.
        let a = try LedgerFile(path: directory.appendingPathComponent("A.sqlite").path)
        let ledger = try #require(a.copies.first { [$0.header.partyA, $0.header.partyB] == ["A", "B"] })
        try #require(ledger.rows.count > 2)
        try Self.sqlite(
            directory.appendingPathComponent("B.sqlite").path,
            "DELETE FROM entries WHERE ledger_id = '\(ledger.ledgerID)' AND seq > 2")
        let cut = try await Self.broker("audit", directory.path)
        #expect(cut.status == 1)
        #expect(cut.stdout.hasPrefix("\(ledger.ledgerID)\t3\tB\ttruncated\tcopy B ends at seq 2, a strict prefix of A"))
        #expect(cut.stdout.split(separator: "\n").count == 1)
    }
}
