import Foundation
import Ledger

/// Co-signed checkpoints of the ledgers between two nodes (LEDGER.md §5, cadence): the author of every
/// `checkpointInterval`-th entry (and, with `checkpointPeriod`, of the first entry that long after the last
/// checkpoint) signs a checkpoint of the ledger at that size, the counterparty checks it against its own copy and
/// adds its signature, and both store the co-signed note with their copy — and, with a witness, both send it there.
extension NodeLedgers {
    /// After this party's entry at `seq` was agreed: co-signs a checkpoint when one is due — `seq` is a multiple of
    /// `checkpointInterval`, or the entry's `time` is `checkpointPeriod` or more after the ledger's last checkpoint
    /// (or its first entry). A failure is logged, never thrown: the entry is agreed either way, and the next
    /// checkpoint is due at the next multiple (or the next entry this party authors, for the time cadence).
    func checkpointIfDue(_ replica: LedgerReplica, at seq: UInt64, time: Int64) async {
        let dueByCount = checkpointInterval > 0 && seq % checkpointInterval == 0
        guard dueByCount || isDueByTime(replica, time: time) else { return }
        await checkpoint(replica, size: seq, time: time)
    }

    /// The time cadence on a ledger that stopped growing (a wall-clock node runs this every so often, see
    /// `NodeService`): every copy whose head is past its last checkpoint, and whose last checkpoint (or first entry)
    /// is `checkpointPeriod` or more before `now`, gets a co-signed checkpoint at its head, dated with the head
    /// entry's time. Either party may do it; both then make the same note.
    /// - Returns: the number of checkpoints co-signed.
    @discardableResult
    public func checkpointIdleLedgers(now: Int64) async -> Int {
        guard let checkpointPeriod else { return 0 }
        var made = 0
        for replica in openReplicas.sorted(by: { $0.counterparty < $1.counterparty }) {
            let head = replica.head.seq
            guard head > 0, let stored = try? store.checkpoints(of: replica.id),
                head > stored.last?.size ?? 0,
                let last = stored.last?.time ?? (try? replica.entries(from: 1).first?.time) ?? nil,
                now >= last, now - last >= checkpointPeriod.milliseconds,
                let time = (try? replica.entries(from: head).first?.time) ?? nil
            else { continue }
            if await checkpoint(replica, size: head, time: time) { made += 1 }
        }
        return made
    }

    /// Signs a checkpoint of this party's copy at `size`, has the counterparty co-sign it, stores it and sends it
    /// to the witness. A failure is logged, never thrown. Returns whether it was co-signed.
    @discardableResult
    private func checkpoint(_ replica: LedgerReplica, size: UInt64, time: Int64) async -> Bool {
        do {
            var checkpoint = Checkpoint(
                ledgerID: replica.id, size: size, root: try root(of: replica, size: size), time: time)
            try checkpoint.sign(with: key)
            let cosigned = try await transport.cosign(checkpoint, at: replica.counterparty)
            guard cosigned.noteText == checkpoint.noteText,
                cosigned.signatureStatus(of: key.party, publicKey: key.publicKey) == .valid,
                cosigned.signatureStatus(of: replica.counterparty, publicKey: replica.counterpartyKey) == .valid
            else { throw NodeError(.ledger, "the counterparty's co-signed checkpoint does not verify") }
            try store.saveCheckpoint(cosigned, of: replica.id)
            noteCheckpoint(cosigned, of: replica.id)
            if let witness { await submit(cosigned, of: replica, to: witness, share: true) }
            return true
        } catch {
            logger.warning(
                "checkpoint not co-signed",
                metadata: ["counterparty": "\(replica.counterparty)", "size": "\(size)", "error": "\(error)"])
            return false
        }
    }

    /// True when the time cadence is on and `time` is `checkpointPeriod` or more after the ledger's last
    /// checkpoint (its first entry's time when it has none).
    private func isDueByTime(_ replica: LedgerReplica, time: Int64) -> Bool {
        guard let checkpointPeriod else { return false }
        let known = lastCheckpointTimes.withLock { $0[replica.id] }
        let last: Int64
        if let known {
            last = known
        } else {
            let stored = (try? store.checkpoints(of: replica.id).last?.time) ?? nil
            guard let since = stored ?? (try? replica.entries(from: 1).first?.time) ?? nil else { return false }
            last = since
            lastCheckpointTimes.withLock { $0[replica.id] = since }
        }
        return time >= last && time - last >= checkpointPeriod.milliseconds
    }

    /// Remembers the time of a ledger's newest checkpoint for the time cadence.
    func noteCheckpoint(_ checkpoint: Checkpoint, of id: LedgerID) {
        guard let time = checkpoint.time else { return }
        lastCheckpointTimes.withLock { times in times[id] = max(times[id] ?? time, time) }
    }

    /// Sends a co-signed checkpoint to the witness with a consistency proof between it and the witness's latest
    /// checkpoint of the ledger (from the latest to it, or, when the other party already had a later one
    /// witnessed, from it to the latest), and stores the note with the witness's cosignature in its place; with
    /// `share`, sends that note to the counterparty too. A refusal or a failure is logged, never thrown: the
    /// checkpoint stays co-signed by both parties either way.
    func submit(_ checkpoint: Checkpoint, of replica: LedgerReplica, to witness: WitnessClient, share: Bool) async {
        do {
            // The other party submits the same ledger's checkpoints too: when the witness's latest moves between
            // this node's look and its submission, the witness answers `stale` and this node looks again.
            var verdict = try await witness.submit(try await submission(of: checkpoint, of: replica, to: witness))
            for _ in 1..<5 {
                guard case .refused(let refusal) = verdict, refusal.code == .stale else { break }
                verdict = try await witness.submit(try await submission(of: checkpoint, of: replica, to: witness))
            }
            switch verdict {
            case .cosigned(let answered):
                // The witness's answer must still carry both parties' valid signatures; lines by anyone but the
                // parties and this witness are dropped.
                let signers: Set<String> = [
                    key.party.rawValue, replica.counterparty.rawValue, witness.key.name.rawValue,
                ]
                let cosigned = answered.keepingSignatures { signers.contains($0.name) }
                guard cosigned.signatureStatus(of: key.party, publicKey: key.publicKey) == .valid,
                    cosigned.signatureStatus(of: replica.counterparty, publicKey: replica.counterpartyKey) == .valid
                else { throw NodeError(.ledger, "the witness's note lacks a party's valid signature") }
                try store.saveCheckpoint(cosigned, of: replica.id)
                if replica.counterparty == sofKey?.party {
                    try sofStore?.saveCheckpoint(cosigned, of: replica.id)
                } else if share {
                    await self.share(cosigned, with: replica.counterparty)
                }
            case .refused(let refusal):
                logger.error(
                    "witness refused checkpoint",
                    metadata: [
                        "counterparty": "\(replica.counterparty)", "size": "\(checkpoint.size)",
                        "refusal": "\(refusal)",
                    ])
            }
        } catch {
            logger.warning(
                "checkpoint not witnessed",
                metadata: [
                    "counterparty": "\(replica.counterparty)", "size": "\(checkpoint.size)", "error": "\(error)",
                ])
        }
    }

    /// The submission of `checkpoint` against the witness's latest checkpoint of the ledger: the consistency proof
    /// from that one to this one, or from this one to that one when the witness's is larger.
    private func submission(
        of checkpoint: Checkpoint, of replica: LedgerReplica, to witness: WitnessClient
    ) async throws -> WitnessSubmission {
        let witnessed = try await witness.latest(of: replica.id)
        let proof: [Data]
        if let witnessed, witnessed.size > checkpoint.size {
            // The witness's size comes from outside: clamped, and used only when this copy holds that many.
            let leaves = MerkleTree.leafHashes(
                ofEntryHashes: try replica.entryHashes(from: 1, limit: Int(clamping: witnessed.size)))
            proof =
                UInt64(leaves.count) == witnessed.size
                ? MerkleTree.consistencyProof(oldSize: Int(checkpoint.size), leafHashes: leaves) : []
        } else {
            // Only the hashes are read: every entry parsed here made each checkpoint cost the whole ledger again.
            let leaves = MerkleTree.leafHashes(
                ofEntryHashes: try replica.entryHashes(from: 1, limit: Int(clamping: checkpoint.size)))
            proof = MerkleTree.consistencyProof(oldSize: Int(witnessed?.size ?? 0), leafHashes: leaves)
        }
        return WitnessSubmission(
            checkpoint: checkpoint, consistencyProof: proof, header: replica.header, proofFrom: witnessed?.size ?? 0)
    }

    /// The counterparty's side of witnessing: after this node countersigned `checkpoint` for `counterparty`, it
    /// sends the note to its own witness too, so the witness hears each checkpoint from both parties (and a party
    /// that shows it another note for the same size is caught as equivocating). A note that already carries this
    /// node's witness's line (the author shared it after witnessing) is not sent again.
    public func witnessCountersigned(_ checkpoint: Checkpoint, from counterparty: PartyID) async {
        guard let witness, let id = checkpoint.ledgerID,
            checkpoint.signatureStatus(of: witness.key.name, publicKey: witness.key.publicKey) != .valid,
            let replica = try? replica(id: id, counterparty: counterparty)
        else { return }
        await submit(checkpoint, of: replica, to: witness, share: false)
    }

    /// Sends a checkpoint of the internal ledger with the provider's own SOF (both copies on this node) to the
    /// witness and stores the witnessed note in both copies.
    func submitInternal(_ checkpoint: Checkpoint, of ledger: BilateralLedger, to witness: WitnessClient) async {
        await submit(checkpoint, of: ledger.copy(of: key.party), to: witness, share: false)
    }

    /// Sends the witnessed note to the counterparty (the co-signing route again), so its copy keeps the witness's
    /// line too when it knows the witness. A failure is logged: its copy keeps the note the parties signed.
    private func share(_ witnessed: Checkpoint, with counterparty: PartyID) async {
        do {
            _ = try await transport.cosign(witnessed, at: counterparty)
        } catch {
            logger.warning(
                "witnessed checkpoint not shared",
                metadata: ["counterparty": "\(counterparty)", "size": "\(witnessed.size)", "error": "\(error)"])
        }
    }

    /// The counterparty's side: checks a checkpoint `counterparty` signed against this party's copy (same ledger,
    /// no longer than the copy, the root of its first `size` entries, the counterparty's valid signature), adds this
    /// party's signature and stores the co-signed note, with the line of this node's witness when it verifies.
    /// - Throws: `NodeError(.ledger)` when the checkpoint is not one this copy can sign.
    public func countersign(_ checkpoint: Checkpoint, from counterparty: PartyID) throws -> Checkpoint {
        guard let id = checkpoint.ledgerID, let replica = try replica(id: id, counterparty: counterparty) else {
            throw NodeError(.ledger, "no ledger \(checkpoint.origin) between \(counterparty) and this node")
        }
        guard checkpoint.signatureStatus(of: counterparty, publicKey: replica.counterpartyKey) == .valid else {
            throw NodeError(.ledger, "the checkpoint is not signed by \(counterparty)")
        }
        guard checkpoint.size <= replica.head.seq else {
            throw NodeError(.ledger, "this copy holds \(replica.head.seq) entries, the checkpoint \(checkpoint.size)")
        }
        guard try root(of: replica, size: checkpoint.size) == checkpoint.root else {
            throw NodeError(.ledger, "the root is not that of this copy's first \(checkpoint.size) entries")
        }
        // Lines by other signers are kept only for this node's own witness, and only when its line verifies: a
        // counterparty cannot leave a stranger's line, or a forged witness line, in this copy.
        var signers: Set<String> = [counterparty.rawValue, key.party.rawValue]
        if let witness, checkpoint.signatureStatus(of: witness.key.name, publicKey: witness.key.publicKey) == .valid {
            signers.insert(witness.key.name.rawValue)
        }
        var cosigned = checkpoint.keepingSignatures { signers.contains($0.name) }
        if cosigned.signatureStatus(of: key.party, publicKey: key.publicKey) != .valid { try cosigned.sign(with: key) }
        try store.saveCheckpoint(cosigned, of: id)
        noteCheckpoint(cosigned, of: id)
        return cosigned
    }

    /// The tree head of the copy's first `size` entries, grown from the last one computed for this ledger (agreed
    /// entries never change): a checkpoint reads only the entries since the previous one, not the whole copy.
    /// - Throws: `NodeError(.ledger)` when the copy holds fewer than `size` entries.
    func root(of replica: LedgerReplica, size: UInt64) throws -> Data {
        var frontier = frontiers.withLock { $0[replica.id] } ?? MerkleFrontier()
        if frontier.size > size { frontier = MerkleFrontier() }  // an older size: from the first entry
        if frontier.size < size {
            let missing = size - frontier.size
            let hashes = try replica.entryHashes(from: frontier.size + 1, limit: Int(clamping: missing))
            guard UInt64(hashes.count) == missing else {
                throw NodeError(.ledger, "this copy holds fewer than \(size) entries")
            }
            for leaf in MerkleTree.leafHashes(ofEntryHashes: hashes) { frontier.append(leafHash: leaf) }
        }
        frontiers.withLock { known in
            if (known[replica.id]?.size ?? 0) <= frontier.size { known[replica.id] = frontier }
        }
        return frontier.root
    }
}

extension LedgerReplica {
    /// The counterparty's public key, as recorded in the header.
    var counterpartyKey: Data { counterparty == header.partyA ? header.publicKeyA : header.publicKeyB }
}
