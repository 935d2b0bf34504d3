import ArgumentParser
import CanonicalJSON
import Foundation
import Ledger
import SupplyChain

/// `broker audit`: the auditor. Opens everything read-only and never modifies what it audits.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify ledger copies, compare two parties' copies, check checkpoints and inclusion proofs.",
        discussion: """
            Files are opened read-only. Findings are printed one per line: ledger id, seq, party, rule, detail \
            (tab-separated, '-' when absent), or as a JSON array with --json. Rules are listed in LEDGER.md.

            Exit codes: 0 clean, 1 findings, 2 unreadable or bad input.
            """,
        subcommands: [Copies.self, Proof.self, ExportCheckpoint.self, ExportProof.self, Money.self],
        defaultSubcommand: Copies.self
    )
}

extension AuditCommand {
    struct Copies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copies",
            abstract: "Audit ledger copies (the default: `broker audit PATH...`).",
            discussion: """
                Verifies every hash, link, sequence number, time and signature of every ledger in each SQLite \
                file (or each *.sqlite / *.db file of a directory), and the checkpoints stored in them. Then \
                finds both copies of each ledger across all the files given (by ledger id) and compares them: \
                the first differing seq, a copy cut short (truncated), or a copy missing from the other party's \
                file. SQLite files without the ledger tables (a node's -journal and -replay files) are skipped \
                with a note on standard error.

                Omni-lateral ledgers (a provider's published SLA reputation, `*.omni.sqlite` from simulate --out, \
                `*-omni.sqlite` beside a node's database) are verified too: chain, the publisher's signatures, \
                every neighbour's countersignature or signed refusal, a neighbour that has not answered \
                (missing_endorsement), and the auditor's own recomputation of each score from every neighbour's \
                copy given (reputation_mismatch). LEDGER.md §13.

                Examples:
                  broker audit buyer.sqlite
                  broker audit out/loop        # a run's directory: every party's copies, paired
                  broker audit buyer.sqlite --against seller.sqlite --keys trusted-keys.txt
                  broker audit buyer.sqlite --checkpoint cp-120.txt --known-checkpoint cp-200.txt --json

                --keys FILE lists trusted keys, one "party-id <hex or base64 public key>" per line.
                --against compares each ledger with the other party's copy: first differing seq, or truncation.
                --checkpoint checks a co-signed checkpoint (signed note) against the copy; several checkpoints of \
                one size with different roots are reported as equivocation. --known-checkpoint is a checkpoint \
                seen before: a --checkpoint older than it is a rollback.
                --witness-key takes a witness's verifier key (name+keyhash+base64key, as `broker witness` prints \
                it): every checkpoint, stored or given, must carry that witness's cosignature line \
                (unwitnessed_checkpoint when it has none: it was never witnessed, or the line was removed) and the \
                line must verify (bad_witness_cosignature).

                Exit codes: 0 clean, 1 findings, 2 unreadable or bad input.
                """
        )

        @Argument(help: "Ledger SQLite files or directories of them.") var paths: [String]
        @Option(help: "The other party's copy to compare with.") var against: String?
        @Option(help: "A co-signed checkpoint (signed-note text) to check the copies against; repeatable.")
        var checkpoint: [String] = []
        @Option(help: "A checkpoint seen earlier; a --checkpoint older than it is a rollback.")
        var knownCheckpoint: String?
        @Option(help: "Trusted keys: one \"party-id <hex or base64 public key>\" per line.") var keys: String?
        @Option(
            help:
                "A witness's verifier key (name+keyhash+base64key); every checkpoint must carry its valid cosignature; repeatable."
        )
        var witnessKey: [String] = []
        @Flag(help: "Print findings as a JSON array.") var json = false

        func run() throws {
            let witnesses = witnessKey.map { text -> VerifierKey in
                do {
                    return try VerifierKey(parsing: text)
                } catch {
                    fail("--witness-key: \(error)")
                }
            }
            let auditor = LedgerAuditor(trustedKeys: try keys.map(readKeys), rules: .broker, witnessKeys: witnesses)
            let (files, omniLedgers, audited) = try readLedgerFiles(expand(paths), auditor: auditor)
            var report = auditor.audit(files, against: try against.map(readLedgerFile), audited: audited)
            let trusted = try keys.map(readKeys)
            for omni in omniLedgers {
                report.findings += OmniReview.audit(omni, trustedKeys: trusted) { neighbour in
                    files.flatMap(\.copies).first {
                        $0.holder == neighbour
                            && Set([$0.header.partyA, $0.header.partyB])
                                == Set([omni.publisher.rawValue, neighbour.rawValue])
                    }.map(\.entries)
                }
            }
            if let against, report.sharesNoLedger {
                FileHandle.standardError.write(
                    Data("broker audit: \(paths.joined(separator: " ")) and \(against) share no ledger\n".utf8))
                throw ExitCode(2)
            }
            let presented = try checkpoint.map { PresentedCheckpoint(source: $0, text: try readText($0)) }
            let known = try knownCheckpoint.map { PresentedCheckpoint(source: $0, text: try readText($0)) }
            report.findings += auditor.check(presented, known: known, copies: files.flatMap(\.copies))
            try printFindings(report.findings, json: json)
        }

        private func expand(_ paths: [String]) throws -> [String] {
            try paths.flatMap { path -> [String] in
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    fail("\(path): no such file or directory")
                }
                guard isDirectory.boolValue else { return [path] }
                let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                return names.filter { $0.hasSuffix(".sqlite") || $0.hasSuffix(".db") }.map {
                    (path as NSString).appendingPathComponent($0)
                }
            }
        }

        /// The ledger files among `paths`, each read once; a SQLite file without the ledger tables (a node's
        /// journal or replay cache) is skipped with a note on standard error. Nothing left to audit is bad input.
        /// Reads each ledger file and audits it alone as it is read (`LedgerAuditor.read(path:)`); the findings by
        /// path.
        private func readLedgerFiles(
            _ paths: [String], auditor: LedgerAuditor
        ) throws -> (
            [LedgerFile], [OmniLedger], [String: [AuditFinding]]
        ) {
            var seen = Set<String>()
            var files: [LedgerFile] = []
            var omniLedgers: [OmniLedger] = []
            var audited: [String: [AuditFinding]] = [:]
            for path in paths where seen.insert((path as NSString).standardizingPath).inserted {
                let file: LedgerFile?
                do {
                    let (read, findings) = try auditor.read(path: path)
                    file = read
                    audited[path] = findings
                } catch let error as LedgerError where error.code == .notALedgerFile {
                    file = nil
                } catch {
                    fail("\(path): not a readable ledger file (\(error))")
                }
                if file == nil, let omni = try? OmniLedger(readOnlyPath: path) {
                    omniLedgers.append(omni)
                    continue
                }
                guard let file else {
                    FileHandle.standardError.write(
                        Data("broker audit: skipped \(path): not a ledger file (no ledgers and entries tables)\n".utf8))
                    continue
                }
                files.append(file)
            }
            if files.isEmpty && omniLedgers.isEmpty && !paths.isEmpty {
                fail("no ledger file in \(self.paths.joined(separator: " "))")
            }
            return (files, omniLedgers, audited)
        }
    }

    struct Proof: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify one entry's inclusion proof against a co-signed checkpoint, without the ledger.",
            discussion: """
                The proof file holds the RFC 9162 inclusion proof, one 64-hex-digit hash per line (as \
                `broker audit export-proof` writes it). The checkpoint's signers must verify under --keys.

                Example:
                  broker audit proof --checkpoint cp.txt --entry-hash 3f2a... --seq 17 --proof p17.txt --keys keys.txt

                Exit codes: 0 proof valid, 1 findings, 2 unreadable or bad input.
                """
        )

        @Option(help: "The co-signed checkpoint (signed-note text).") var checkpoint: String
        @Option(help: "The entry hash, 64 hex digits.") var entryHash: String
        @Option(help: "The entry's seq (1-based; leaf index = seq - 1).") var seq: UInt64
        @Option(help: "The proof file: one hex hash per line.") var proof: String
        @Option(help: "Trusted keys: one \"party-id <hex or base64 public key>\" per line.") var keys: String
        @Flag(help: "Print findings as a JSON array.") var json = false

        func run() throws {
            let directory = try readKeys(keys)
            let text = try readText(checkpoint)
            guard let note = try? Checkpoint.parse(text) else {
                try printFindings(
                    [
                        AuditFinding(
                            ledgerID: LedgerID(rawValue: "-"), seq: nil, party: nil, rule: .malformedCheckpoint,
                            detail: "\(checkpoint) is not a signed-note checkpoint")
                    ], json: json)
                return
            }
            var hashes: [Data] = []
            for line in try readText(proof).split(whereSeparator: \.isNewline) where !line.isEmpty {
                guard let hash = Data(hexString: String(line)), hash.count == 32 else {
                    fail("\(proof): \"\(line)\" is not a 64-hex-digit hash")
                }
                hashes.append(hash)
            }
            let findings = LedgerAuditor(trustedKeys: directory).verifyInclusion(
                entryHash: entryHash, seq: seq, proof: hashes, checkpoint: note)
            try printFindings(findings, json: json)
        }
    }

    struct ExportCheckpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-checkpoint",
            abstract: "Print a co-signed checkpoint stored in a ledger file (read-only).",
            discussion: """
                Example: broker audit export-checkpoint --db buyer.sqlite --ledger 9c1e... --size 120 > cp-120.txt
                Without --size, the largest stored checkpoint. Exit codes: 0 ok, 2 bad input or none stored.
                """
        )

        @Option(help: "The ledger SQLite file.") var db: String
        @Option(help: "The ledger id (optional when the file holds one ledger).") var ledger: String?
        @Option(help: "The checkpoint's tree size.") var size: UInt64?

        func run() throws {
            let file = try readLedgerFile(db)
            let ledgerID = try pickLedger(file, ledger)
            guard let checkpoint = file.checkpoint(of: ledgerID, size: size) else {
                fail("no stored checkpoint of ledger \(ledgerID)\(size.map { " with size \($0)" } ?? "")")
            }
            print(checkpoint.text, terminator: "")
        }
    }

    struct ExportProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-proof",
            abstract: "Print an entry's hash and inclusion proof from a ledger file (read-only).",
            discussion: """
                Prints the proof, one hex hash per line, and the entry hash to standard error.
                Example: broker audit export-proof --db buyer.sqlite --seq 17 --size 120 > p17.txt
                Exit codes: 0 ok, 2 bad input.
                """
        )

        @Option(help: "The ledger SQLite file.") var db: String
        @Option(help: "The ledger id (optional when the file holds one ledger).") var ledger: String?
        @Option(help: "The entry's seq.") var seq: UInt64
        @Option(help: "The tree size (default: every entry of the copy).") var size: Int?

        func run() throws {
            let file = try readLedgerFile(db)
            let ledgerID = try pickLedger(file, ledger)
            guard let copy = file.copy(of: ledgerID) else { fail("no ledger \(ledgerID) in \(db)") }
            let size = size ?? copy.rows.count
            guard size <= copy.rows.count, seq >= 1, seq <= UInt64(size) else {
                fail("seq must be in 1...size and size at most \(copy.rows.count)")
            }
            for hash in copy.inclusionProof(seq: seq, size: size) {
                print(hash.hexString)
            }
            FileHandle.standardError.write(Data("entry-hash \(copy.rows[Int(seq - 1)].entryHash)\n".utf8))
        }
    }
}

private func pickLedger(_ file: LedgerFile, _ ledger: String?) throws -> LedgerID {
    if let ledger { return LedgerID(rawValue: ledger) }
    guard file.copies.count == 1 else {
        fail("\(file.path) holds \(file.copies.count) ledgers; name one with --ledger")
    }
    return file.copies[0].ledgerID
}

private func readLedgerFile(_ path: String) throws -> LedgerFile {
    do {
        return try LedgerFile(path: path)
    } catch {
        fail("\(path): not a readable ledger file (\(error))")
    }
}

private func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read") }
    return String(decoding: data, as: UTF8.self)
}

private func readKeys(_ path: String) throws -> KeyDirectory {
    do {
        return try KeyDirectory(parsing: try readText(path))
    } catch {
        fail("\(path): \(error)")
    }
}

/// Prints findings (lines or JSON) and exits 1 when there are any.
private func printFindings(_ findings: [AuditFinding], json: Bool) throws {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(findings), as: UTF8.self))
    } else {
        for finding in findings { print(finding) }
    }
    if !findings.isEmpty { throw ExitCode(1) }
}
