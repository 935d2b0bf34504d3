import Crypto
import Foundation
import Ledger
import SupplyChain

/// The omni-lateral ledger of a live node (LEDGER.md §13): the node publishes its SLA reputation in
/// `…-omni.sqlite` beside its ledgers, and asks every neighbour whose records the entry rests on to review it
/// against its own copy; the neighbour's countersignature or signed refusal is stored beside the entry.
extension NodeLedgers {
    /// The start of a review's refusal to answer yet (HTTP 409): the listed records are not on the copy yet.
    static let notYet = "not yet"

    /// Where the node's omni-lateral ledger lives, beside its database.
    public static func omniDatabase(_ database: String) -> String {
        NodeFile.beside(database, "omni")
    }

    /// This node's omni-lateral ledger, its nonce derived from its public key (one per identity).
    public func omniLedger() throws -> OmniLedger {
        try omni.withLock { omni in
            if let omni { return omni }
            var hasher = SHA256()
            hasher.update(data: Data("scbroker-live-omni\n".utf8))
            hasher.update(data: key.publicKey)
            let ledger = try OmniLedger(
                publisher: key, genesisNonce: Data(hasher.finalize()), path: Self.omniDatabase(store.path))
            omni = ledger
            return ledger
        }
    }

    /// Appends `record` to the omni-lateral ledger and has each neighbour review it; `start` runs each review as
    /// a job. A neighbour whose copy does not hold the records yet (its lane is behind) is asked again with
    /// back-off; one that cannot be reached stays pending (`missing_endorsement` in an audit).
    public func publish(
        _ record: OmniRecord, at time: Instant, start: (@escaping @Sendable () async -> Void) -> Void
    ) {
        do {
            let omni = try omniLedger()
            let entry = try omni.append(
                kind: record.kind, refs: record.refs, body: record.body, time: time.milliseconds)
            for neighbour in OmniReview.neighbours(of: entry) {
                start { await self.askReview(entry, of: neighbour, in: omni) }
            }
        } catch {
            logger.error("omni-lateral entry not published", metadata: ["error": "\(error)"])
        }
    }

    private func askReview(_ entry: LedgerEntry, of neighbour: PartyID, in omni: OmniLedger) async {
        var pause = Duration.milliseconds(50)
        for attempt in 1...30 {
            do {
                let verdict = try await transport.review(entry, by: neighbour)
                guard verdict.party == neighbour, verdict.entryHash == entry.entryHash,
                    let key = peerKey(of: neighbour), verdict.verifies(under: key)
                else { throw NodeError(.ledger, "\(neighbour)'s answer does not verify") }
                try omni.record(verdict)
                return
            } catch {
                logger.debug(
                    "omni-lateral review not answered yet",
                    metadata: ["neighbour": "\(neighbour)", "attempt": "\(attempt)", "error": "\(error)"])
                do { try await Task.sleep(for: pause) } catch { return }
                pause = min(pause * 2, maximumBackoff)
            }
        }
        logger.warning(
            "omni-lateral entry left pending", metadata: ["neighbour": "\(neighbour)", "seq": "\(entry.seq)"])
    }

    /// The neighbour's side: checks the publisher's signature, waits (throws `.notYet`) while a record listed for
    /// this party is not on its copy yet, then countersigns or refuses with the reason.
    public func review(_ entry: LedgerEntry, from publisher: PartyID) throws -> OmniVerdict {
        guard entry.author == publisher, let publisherKey = peerKey(of: publisher),
            entry.entryHashBytes == entry.computeHash(),
            Ed25519.verify(signature: entry.authorSignature, of: entry.computeHash(), publicKey: publisherKey)
        else { throw NodeError(.ledger, "the entry is not signed by \(publisher)") }
        let copy = try replica(with: publisher).entries()
        if case .success(let publication) = ReputationPublication.decode(entry.body) {
            let delivered = Set(
                copy.filter { $0.kind == LedgerKind.reportDelivered.rawValue }.map {
                    "\($0.refs["service"] ?? "")|\($0.refs["report"] ?? "")"
                })
            let missing = publication.records.filter {
                $0.buyer == key.party && !delivered.contains("\($0.serviceID)|\($0.reportID)")
            }
            if !missing.isEmpty {
                throw NodeError(
                    .ledger, "\(NodeLedgers.notYet): \(missing.count) listed reports are not on this copy yet")
            }
        }
        return try OmniReview.answer(entry, by: key, copy: copy)
    }
}
