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
