import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

/// The neutral validating node: it cosigns a ledger's checkpoints while the ledger only grows, and refuses a fork or
/// a step back with the two signed notes an auditor can check on their own.
struct WitnessTests {
    let fixture: LedgerFixture
    let witnessKey: PartyKey
    /// The Alice–Bob header, as a party sends it with each checkpoint.
    let header: LedgerHeader
    /// The leaf hashes of the Alice–Bob ledger's 12 entries.
    let leaves: [Data]

    init() throws {
        fixture = try LedgerFixture()
        witnessKey = try PartyKey(party: "witness-1", seed: LedgerFixture.seed(9))
        header = try LedgerHeader(
            "alice", publicKey: fixture.alice.publicKey, "bob", publicKey: fixture.bob.publicKey,
            genesisNonce: Data("ab".utf8))
        leaves = MerkleTree.leafHashes(
            of: try SQLiteLedgerStore(readOnlyPath: fixture.alicePath).entries(of: fixture.aliceBob))
    }

    func makeWitness(_ store: any WitnessStore = InMemoryWitnessStore()) -> Witness {
        Witness(key: witnessKey, store: store)
    }

    func submission(_ checkpoint: Checkpoint, from oldSize: Int? = nil) -> WitnessSubmission {
        WitnessSubmission(
            checkpoint: checkpoint,
            consistencyProof: oldSize.map {
                MerkleTree.consistencyProof(oldSize: $0, leafHashes: Array(leaves.prefix(Int(checkpoint.size))))
            } ?? [],
            header: header)
    }

    func expectCosigned(_ verdict: WitnessVerdict) throws -> Checkpoint {
        guard case .cosigned(let checkpoint) = verdict else {
            Issue.record("expected a cosigned checkpoint, got \(verdict)")
            throw LedgerError(.invalidField, "refused")
        }
        return checkpoint
    }

    func expectRefusal(_ verdict: WitnessVerdict) throws -> WitnessRefusal {
        guard case .refused(let refusal) = verdict else {
            Issue.record("expected a refusal, got \(verdict)")
            throw LedgerError(.invalidField, "cosigned")
        }
        return refusal
    }

    @Test("honest growth: checkpoints at 8 then 12 entries, with a consistency proof, are cosigned")
    func honestGrowth() throws {
        let witness = makeWitness()
        let first = try expectCosigned(try witness.submit(submission(fixture.checkpoint8)))
        #expect(first.signatures.map(\.name) == ["alice", "bob", "witness-1"])
        #expect(first.noteText == fixture.checkpoint8.noteText)
        #expect(first.signatureStatus(of: "witness-1", publicKey: witnessKey.publicKey) == .valid)

        let proof = MerkleTree.consistencyProof(oldSize: 8, leafHashes: leaves)
        #expect(proof.count == 1)
        let second = try expectCosigned(try witness.submit(submission(fixture.checkpoint12, from: 8)))
        #expect(second.size == 12)
        #expect(second.root == fixture.checkpoint12.root)
        #expect(second.signatureStatus(of: "witness-1", publicKey: witnessKey.publicKey) == .valid)
        #expect(try witness.latest(of: fixture.aliceBob) == second)

        // The same checkpoint again is the same cosigned note, not a refusal.
        #expect(try expectCosigned(try witness.submit(submission(fixture.checkpoint12))) == second)
        #expect(try witness.refusals(of: fixture.aliceBob) == [])

        // An auditor who knows the witness's verifier key accepts the cosignature, and catches a forged one.
        let verifier = try VerifierKey(parsing: witness.verifierKey.description)
        #expect(verifier == VerifierKey(name: "witness-1", publicKey: witnessKey.publicKey))
        #expect(verifier.description.hasPrefix("witness-1+"))
        let auditor = LedgerAuditor(witnessKeys: [verifier])
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        #expect(auditor.check(copy, against: second) == [])
        let impostor = try PartyKey(party: "witness-1", seed: LedgerFixture.seed(10))
        var forged = fixture.checkpoint12
        try forged.sign(with: impostor)
        let findings = auditor.check(copy, against: forged)
        #expect(LedgerFixture.summary(findings) == ["bad_witness_cosignature@12"])
        #expect(findings.first?.party == "witness-1")
    }

    @Test(
        "with the witness's key, a checkpoint without its cosignature is unwitnessed_checkpoint; without the key, none")
    func unwitnessedCheckpointFound() throws {
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        let auditor = LedgerAuditor(witnessKeys: [VerifierKey(witnessKey)])
        let findings = auditor.check(copy, against: fixture.checkpoint12)
        #expect(LedgerFixture.summary(findings) == ["unwitnessed_checkpoint@12"])
        #expect(findings.first?.party == "witness-1")
        #expect(findings.first?.detail == "the checkpoint of 12 entries carries no cosignature by witness-1")
        // Cosigned by that witness: nothing; an auditor who names no witness asks for none.
        let cosigned = try expectCosigned(try makeWitness().submit(submission(fixture.checkpoint12)))
        #expect(auditor.check(copy, against: cosigned) == [])
        #expect(LedgerAuditor().check(copy, against: fixture.checkpoint12) == [])
        // A line by another witness does not stand in for this one.
        var other = fixture.checkpoint12
        try other.sign(with: try PartyKey(party: "witness-2", seed: LedgerFixture.seed(11)))
        #expect(LedgerFixture.summary(auditor.check(copy, against: other)) == ["unwitnessed_checkpoint@12"])
    }

    @Test("a verifier key whose base64 key holds a '+' reads back as itself")
    func verifierKeyWithPlus() throws {
        let keys = try (0..<64).map { try PartyKey(party: "witness-1", seed: Data(repeating: UInt8($0), count: 32)) }
        let key = try #require(keys.map { VerifierKey($0) }.first { $0.description.split(separator: "+").count > 3 })
        #expect(try VerifierKey(parsing: key.description) == key)
        #expect(throws: LedgerError.self) { try VerifierKey(parsing: "witness-1+00000000") }
    }

    @Test("a proof made against a latest that has moved since is stale: no accusation kept; made again, cosigned")
    func staleProofAskedAgain() throws {
        let witness = makeWitness()
        _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint8)))
        // The party looked when the witness had nothing; the other party's checkpoint of 8 came in meanwhile.
        let late = WitnessSubmission(
            checkpoint: fixture.checkpoint12, consistencyProof: [], header: header, proofFrom: 0)
        let refusal = try expectRefusal(try witness.submit(late))
        #expect(refusal.code == .stale)
        #expect(refusal.message == "the proof is against a checkpoint of 0 entries; the latest cosigned here has 8")
        #expect(try witness.refusals(of: fixture.aliceBob).isEmpty)
        #expect(try witness.latest(of: fixture.aliceBob)?.size == 8)
        var again = submission(fixture.checkpoint12, from: 8)
        again.proofFrom = 8
        #expect(try expectCosigned(try witness.submit(again)).size == 12)
        // The same size again needs no proof, whatever size the party last saw.
        let repeated = WitnessSubmission(
            checkpoint: fixture.checkpoint12, consistencyProof: [], header: header, proofFrom: 0)
        #expect(try expectCosigned(try witness.submit(repeated)).size == 12)
    }

    @Test("a checkpoint smaller than the one cosigned is refused as a rollback, with both notes")
    func rollbackRefused() throws {
        let witness = makeWitness()
        _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint12)))
        let refusal = try expectRefusal(try witness.submit(submission(fixture.checkpoint8)))
        #expect(refusal.code == .rollback)
        #expect(refusal.message == "checkpoint of 8 entries, but one of 12 was already cosigned")
        #expect(refusal.witnessed?.size == 12)
        #expect(refusal.presented == fixture.checkpoint8)
        #expect(try witness.latest(of: fixture.aliceBob)?.size == 12)

        // The two notes alone prove it to an auditor.
        let witnessed = try #require(refusal.witnessed)
        let findings = LedgerAuditor().checkRollback(
            presented: refusal.presented, known: witnessed, parties: fixture.parties)
        #expect(LedgerFixture.summary(findings) == ["rollback@9"])
    }

    @Test("the slower party's older checkpoint, proved a prefix of the one cosigned, is cosigned without moving back")
    func olderCheckpointWithProofCosigned() throws {
        let witness = makeWitness()
        _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint12)))
        // The proof from 8 to the witness's 12, as the other party computes it from its copy.
        let proof = MerkleTree.consistencyProof(oldSize: 8, leafHashes: Array(leaves.prefix(12)))
        let late = try expectCosigned(
            try witness.submit(
                WitnessSubmission(checkpoint: fixture.checkpoint8, consistencyProof: proof, header: header)))
        #expect(late.size == 8)
        #expect(late.signatures.map(\.name) == ["alice", "bob", "witness-1"])
        #expect(try witness.latest(of: fixture.aliceBob)?.size == 12)
        #expect(try witness.refusals(of: fixture.aliceBob).isEmpty)
        // A proof that leads elsewhere is still a rollback.
        let wrong = MerkleTree.consistencyProof(oldSize: 6, leafHashes: Array(leaves.prefix(12)))
        let refusal = try expectRefusal(
            try makeWitness().submitAll([
                submission(fixture.checkpoint12),
                WitnessSubmission(checkpoint: fixture.checkpoint8, consistencyProof: wrong, header: header),
            ]))
        #expect(refusal.code == .rollback)
    }

    @Test("two roots for one size signed by both parties are refused as equivocation; the notes are the proof")
    func equivocationRefused() throws {
        let witness = makeWitness()
        _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint12)))
        let forged = try fixture.forgedCheckpoint12(signedBy: [fixture.alice, fixture.bob])
        let refusal = try expectRefusal(try witness.submit(submission(forged)))
        #expect(refusal.code == .equivocation)
        #expect(refusal.witnessed?.root == fixture.checkpoint12.root)
        #expect(refusal.presented.root == Data(repeating: 7, count: 32))

        // Verified independently of the witness: each party validly signed both roots for size 12.
        let witnessed = try #require(refusal.witnessed)
        let findings = LedgerAuditor().equivocation(witnessed, refusal.presented, parties: fixture.parties)
        #expect(findings.map(\.rule) == [.equivocation, .equivocation])
        #expect(findings.map(\.party) == ["alice", "bob"])
        #expect(findings.allSatisfy { $0.seq == 12 })
        #expect(try witness.refusals(of: fixture.aliceBob).map(\.code) == [.equivocation])
        #expect(try witness.latest(of: fixture.aliceBob)?.root == fixture.checkpoint12.root)
    }

    @Test("a fork that grew past the cosigned size has no valid consistency proof and is refused")
    func forkedGrowthRefused() throws {
        let witness = makeWitness()
        _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint8)))
        // The same ledger id (same parties and nonce) with other entries: a second history.
        let fork = try BilateralLedger(
            partyA: fixture.alice, partyB: fixture.bob, genesisNonce: Data("ab".utf8),
            storeA: InMemoryLedgerStore(), storeB: InMemoryLedgerStore())
        #expect(fork.id == fixture.aliceBob)
        for index in 1...12 {
            try fork.record(
                author: "alice", kind: "poq.request", refs: ["poq": "fork-\(index)"],
                body: ["index": .string("\(index)")],
                time: 1_700_000_000_000 + Int64(index))
        }
        let forkCheckpoint = try fork.checkpoint(time: 1_700_000_000_012)
        let forkLeaves = MerkleTree.leafHashes(of: try fork.copy(of: "alice").store.entries(of: fork.id))
        let refusal = try expectRefusal(
            try witness.submit(
                WitnessSubmission(
                    checkpoint: forkCheckpoint,
                    consistencyProof: MerkleTree.consistencyProof(oldSize: 8, leafHashes: forkLeaves), header: header)))
        #expect(refusal.code == .inconsistent)
        #expect(refusal.witnessed?.size == 8)
        #expect(refusal.consistencyProof.count == 1)
        // The honest next checkpoint is still accepted.
        #expect(try expectCosigned(try witness.submit(submission(fixture.checkpoint12, from: 8))).size == 12)
    }

    @Test("a note without both parties' valid signatures, or for another ledger, is refused")
    func badSignaturesRefused() throws {
        let witness = makeWitness()
        let aliceOnly = try fixture.forgedCheckpoint12(signedBy: [fixture.alice])
        let refusal = try expectRefusal(try witness.submit(submission(aliceOnly)))
        #expect(refusal.code == .badSignature)
        #expect(refusal.message == "the note lacks bob's signature")
        let carolHeader = try LedgerHeader(
            "alice", publicKey: fixture.alice.publicKey, "carol", publicKey: fixture.carol.publicKey,
            genesisNonce: Data("ab".utf8))
        let wrong = try expectRefusal(
            try witness.submit(
                WitnessSubmission(checkpoint: fixture.checkpoint12, consistencyProof: [], header: carolHeader)))
        #expect(wrong.code == .wrongLedger)
        #expect(try witness.latest(of: fixture.aliceBob) == nil)
    }

    @Test("a witness with a key directory, or one that learned a ledger's keys, refuses other keys")
    func keysPinned() throws {
        var directory = KeyDirectory()
        directory.register("alice", publicKey: fixture.alice.publicKey)
        let strict = Witness(key: witnessKey, store: InMemoryWitnessStore(), trustedKeys: directory)
        let unknown = try expectRefusal(try strict.submit(submission(fixture.checkpoint8)))
        #expect(unknown.code == .wrongLedger)
        #expect(unknown.message == "bob is not in this witness's key directory with that key")

        // The ledger id binds the parties and the nonce, not the keys: the witness holds the keys it learned first.
        let witness = makeWitness()
        _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint8)))
        let impostor = try PartyKey(party: "bob", seed: LedgerFixture.seed(11))
        let otherKeys = try LedgerHeader(
            "alice", publicKey: fixture.alice.publicKey, "bob", publicKey: impostor.publicKey,
            genesisNonce: Data("ab".utf8))
        #expect(otherKeys.ledgerID == fixture.aliceBob)
        var note = Checkpoint(ledgerID: fixture.aliceBob, size: 12, root: Data(repeating: 7, count: 32), time: nil)
        try note.sign(with: fixture.alice)
        try note.sign(with: impostor)
        let refusal = try expectRefusal(
            try witness.submit(WitnessSubmission(checkpoint: note, consistencyProof: [], header: otherKeys)))
        #expect(refusal.code == .wrongLedger)
        #expect(refusal.message.hasPrefix("the parties' keys are not the ones this witness knows"))
    }

    @Test("a restarted witness keeps what it cosigned and the refusals it reported")
    func restartKeepsState() throws {
        let path = fixture.directory.appendingPathComponent("witness.sqlite").path
        do {
            let witness = makeWitness(try SQLiteWitnessStore(path: path))
            _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint8)))
            _ = try expectCosigned(try witness.submit(submission(fixture.checkpoint12, from: 8)))
        }
        let restarted = makeWitness(try SQLiteWitnessStore(path: path))
        let latest = try #require(try restarted.latest(of: fixture.aliceBob))
        #expect(latest.size == 12)
        #expect(latest.signatureStatus(of: "witness-1", publicKey: witnessKey.publicKey) == .valid)
        // The checkpoint at 8 it cosigned before is recognised as such, not taken for a rollback.
        #expect(try expectCosigned(try restarted.submit(submission(fixture.checkpoint8))).size == 8)
        let forged = try fixture.forgedCheckpoint12(signedBy: [fixture.alice, fixture.bob])
        #expect(try expectRefusal(try restarted.submit(submission(forged))).code == .equivocation)

        let again = makeWitness(try SQLiteWitnessStore(path: path))
        let refusals = try again.refusals(of: fixture.aliceBob)
        #expect(refusals.map(\.code) == [.equivocation])
        #expect(refusals.first?.presented == forged)
        #expect(refusals.first?.witnessed?.size == 12)
    }
}

extension Witness {
    /// Submits each in turn; the last verdict.
    func submitAll(_ submissions: [WitnessSubmission]) throws -> WitnessVerdict {
        var verdict: WitnessVerdict?
        for submission in submissions { verdict = try submit(submission) }
        return verdict!
    }
}
