import Foundation
import Ledger
import Testing

/// `broker simulate --witness`, `broker audit --witness-key` and `broker witness` as a user runs them.
struct WitnessCLITests {
    typealias CLI = BrokerCLITests

    @Test(
        "simulate --witness writes witness.vkey; audit --witness-key accepts its cosignatures and catches a forged one")
    func witnessedRunAudited() async throws {
        let directory = CLI.temporary("witnessed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await CLI.broker("simulate", "diamond", "--witness", "--out", directory.path)
        try #require(run.status == 0, "\(run.stderr)")
        let vkey = try String(contentsOf: directory.appendingPathComponent("witness.vkey"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let key = try VerifierKey(parsing: vkey)
        #expect(key.name == "witness")
        #expect(run.stderr.contains("broker simulate: witness \(vkey) cosigned the checkpoints of "))
        let clean = try await CLI.broker("audit", directory.path, "--witness-key", vkey)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

        // EAST's last checkpoint of one ledger gets a witness line made with another key under the witness's name.
        let east = directory.appendingPathComponent("EAST.sqlite").path
        let file = try LedgerFile(path: east)
        let ledger = try #require(file.copies.first).ledgerID
        let stored = try #require(file.checkpoint(of: ledger))
        #expect(stored.signatureStatus(of: "witness", publicKey: key.publicKey) == .valid)
        var forged = stored
        try forged.sign(with: PartyKey(party: "witness", seed: Data(repeating: 5, count: 32)))
        try CLI.sqlite(
            east,
            "UPDATE checkpoints SET note = '\(forged.text)' WHERE ledger_id = '\(ledger)' AND size = \(stored.size)")
        let caught = try await CLI.broker("audit", east, "--witness-key", vkey)
        #expect(caught.status == 1)
        #expect(
            caught.stdout == "\(ledger)\t\(stored.size)\twitness\tbad_witness_cosignature\tthe witness cosignature on "
                + "the checkpoint of \(stored.size) entries does not verify under \(vkey)\n")
        // Without the witness's key the line is not checked.
        #expect(try await CLI.broker("audit", east).status == 0)
        let bad = try await CLI.broker("audit", east, "--witness-key", "witness+00000000+AQ==")
        #expect(bad.status == 2)
    }

    @Test("audit --witness-key: a checkpoint whose witness line was removed is unwitnessed_checkpoint, exit 1")
    func unwitnessedCheckpointAudited() async throws {
        let directory = CLI.temporary("unwitnessed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await CLI.broker("simulate", "diamond", "--witness", "--out", directory.path)
        try #require(run.status == 0, "\(run.stderr)")
        let vkey = try String(contentsOf: directory.appendingPathComponent("witness.vkey"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let east = directory.appendingPathComponent("EAST.sqlite").path
        let file = try LedgerFile(path: east)
        let ledger = try #require(file.copies.first).ledgerID
        let stored = try #require(file.checkpoint(of: ledger))
        let stripped = stored.keepingSignatures { $0.name != "witness" }
        try CLI.sqlite(
            east,
            "UPDATE checkpoints SET note = '\(stripped.text)' WHERE ledger_id = '\(ledger)' AND size = \(stored.size)")
        let caught = try await CLI.broker("audit", east, "--witness-key", vkey)
        #expect(caught.status == 1)
        #expect(
            caught.stdout == "\(ledger)\t\(stored.size)\twitness\tunwitnessed_checkpoint\tthe checkpoint of "
                + "\(stored.size) entries carries no cosignature by witness\n")
        // The parties' own signatures still hold: without the witness's key the copy is clean.
        #expect(try await CLI.broker("audit", east).status == 0)
    }

    @Test("cluster --witness: audit DIR --witness-key accepts the witness's cosignature on every checkpoint of the run")
    func witnessedClusterAudited() async throws {
        let directory = CLI.temporary("cluster-witness")
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/loop.yaml").path
        let cluster = try await CLI.broker(
            "cluster", scenario, "--work-dir", directory.path, "--clock", "stepped", "--witness",
            "--checkpoint-entries", "2")
        try #require(cluster.status == 0, "\(cluster.stdout)\(cluster.stderr)")
        let vkeyPath = directory.appendingPathComponent("witness.vkey").path
        #expect(cluster.stderr.contains("broker cluster: witness key in \(vkeyPath)"))
        let vkey = try String(contentsOfFile: vkeyPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let key = try VerifierKey(parsing: vkey)
        #expect(key.name == "cluster-witness")
        let audit = try await CLI.broker("audit", directory.path, "--witness-key", vkey)
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.isEmpty)
        #expect(
            audit.stderr.contains("broker audit: skipped \(directory.appendingPathComponent("witness.sqlite").path)"))

        // The run has checkpoints, each with the witness's line: an auditor with another witness's key finds
        // every one of them unwitnessed.
        let file = try LedgerFile(path: directory.appendingPathComponent("B.sqlite").path)
        let witnessed = file.checkpointNotes.values.flatMap { $0 }.compactMap { try? Checkpoint.parse($0) }
        try #require(!witnessed.isEmpty)
        #expect(witnessed.allSatisfy { $0.signatureStatus(of: key.name, publicKey: key.publicKey) == .valid })
        let stranger = VerifierKey(PartyKey(party: "other-witness"))
        let strict = try await CLI.broker(
            "audit", directory.appendingPathComponent("B.sqlite").path, "--witness-key", stranger.description)
        #expect(strict.status == 1)
        let rules = strict.stdout.split(separator: "\n").map { $0.split(separator: "\t")[3] }
        #expect(rules.count == witnessed.count)
        #expect(Set(rules) == ["unwitnessed_checkpoint"])
    }

    @Test("broker witness teaches its refusals in --help and exits 2 on an unreadable key file")
    func witnessCommand() async throws {
        let help = try await CLI.broker("witness", "--help")
        #expect(help.status == 0)
        for text in ["equivocation", "rollback", "inconsistent", "POST /witness/v1/checkpoints", "--database"] {
            #expect(help.stdout.contains(text), "\(text)")
        }
        let directory = CLI.temporary("witness-bad-key")
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try await CLI.broker(
            "witness", "--key", directory.appendingPathComponent("none.key").path, "--database",
            directory.appendingPathComponent("w.sqlite").path)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("broker witness: "))
    }
}
