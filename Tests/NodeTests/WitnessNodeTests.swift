import Foundation
import HTTPTypes
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import SupplyChain
import Testing

@testable import Node

/// `broker witness` over HTTP, and live nodes that send it their co-signed checkpoints (`witness:` in the node file).
struct WitnessNodeTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("witness-\(UUID().uuidString)")
    let seller = try! PartyKey(party: "SELLER", seed: Data(repeating: 1, count: 32))
    let buyer = try! PartyKey(party: "BUYER", seed: Data(repeating: 2, count: 32))
    let witnessKey = try! PartyKey(party: "witness-1", seed: Data(repeating: 3, count: 32))

    /// A witness server on a fresh SQLite file in `directory`.
    func server() throws -> WitnessServer {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keyFile = directory.appendingPathComponent("witness.key").path
        if !FileManager.default.fileExists(atPath: keyFile) { try KeyFile(key: witnessKey).write(to: keyFile) }
        return try WitnessServer(
            keyFile: keyFile, database: directory.appendingPathComponent("witness.sqlite").path, host: "127.0.0.1",
            port: 0, trustedKeys: nil, logger: Logger(label: "test"))
    }

    /// A ledger between SELLER and BUYER with `count` entries in memory, its header and its leaf hashes.
    func makeLedger(entries count: Int) throws -> (BilateralLedger, [Data]) {
        let ledger = try BilateralLedger(
            partyA: seller, partyB: buyer, genesisNonce: Data("sb".utf8), storeA: InMemoryLedgerStore(),
            storeB: InMemoryLedgerStore())
        for index in 1...count {
            try ledger.record(
                author: "BUYER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:],
                time: 1_767_603_600_000 + Int64(index))
        }
        return (ledger, MerkleTree.leafHashes(of: try ledger.copy(of: "BUYER").store.entries(of: ledger.id)))
    }

    static func body(_ checkpoint: Checkpoint, proof: [Data] = [], header: LedgerHeader) throws -> ByteBuffer {
        ByteBuffer(
            bytes: try JSONEncoder().encode(
                WitnessCheckpointRequest(
                    WitnessSubmission(checkpoint: checkpoint, consistencyProof: proof, header: header))))
    }

    @Test("POST /witness/v1/checkpoints cosigns honest growth, answers 409 with both notes to an equivocation")
    func routes() async throws {
        let (ledger, leaves) = try makeLedger(entries: 6)
        let four = Checkpoint.signed(ledger, size: 4, leaves: leaves, by: [seller, buyer])
        let six = Checkpoint.signed(ledger, size: 6, leaves: leaves, by: [seller, buyer])
        var fork = Checkpoint(ledgerID: ledger.id, size: 6, root: Data(repeating: 7, count: 32), time: nil)
        try fork.sign(with: seller)
        try fork.sign(with: buyer)
        let forged = fork
        let path = WitnessRoutes.checkpointsPath
        try await server().application().test(.router) { client in
            let first = try await client.execute(
                uri: path, method: .post, body: try Self.body(four, header: ledger.header))
            #expect(first.status == .ok)
            let cosigned = try Checkpoint.parse(
                try #require(try JSONDecoder().decode(WitnessAnswer.self, from: Data(buffer: first.body)).note))
            #expect(cosigned.signatures.map(\.name) == ["SELLER", "BUYER", "witness-1"])
            #expect(cosigned.signatureStatus(of: "witness-1", publicKey: witnessKey.publicKey) == .valid)

            let proof = MerkleTree.consistencyProof(oldSize: 4, leafHashes: leaves)
            let second = try await client.execute(
                uri: path, method: .post, body: try Self.body(six, proof: proof, header: ledger.header))
            #expect(second.status == .ok)
            let latest = try await client.execute(uri: WitnessRoutes.ledgerPath(ledger.id), method: .get)
            #expect(latest.status == .ok)
            let latestNote = try Checkpoint.parse(String(buffer: latest.body))
            #expect(latestNote.size == 6)
            #expect(latestNote.root == six.root)

            let refused = try await client.execute(
                uri: path, method: .post, body: try Self.body(forged, header: ledger.header))
            #expect(refused.status == .conflict)
            let answer = try JSONDecoder().decode(WitnessAnswer.self, from: Data(buffer: refused.body))
            #expect(answer.refusal == "equivocation")
            guard case .refused(let refusal) = try #require(answer.verdict()) else {
                Issue.record("not a refusal")
                return
            }
            // The answer alone convicts both parties, with their keys only.
            let findings = LedgerAuditor().equivocation(
                try #require(refusal.witnessed), refusal.presented,
                parties: ["SELLER": seller.publicKey, "BUYER": buyer.publicKey])
            #expect(findings.map(\.party) == ["BUYER", "SELLER"])
            #expect(findings.allSatisfy { $0.rule == .equivocation && $0.seq == 6 })

            let rollback = try await client.execute(
                uri: path, method: .post,
                body: try Self.body(
                    Checkpoint.signed(ledger, size: 5, leaves: leaves, by: [seller, buyer]), header: ledger.header))
            #expect(rollback.status == .conflict)
            #expect(
                try JSONDecoder().decode(WitnessAnswer.self, from: Data(buffer: rollback.body)).refusal == "rollback")

            let refusals = try await client.execute(
                uri: WitnessRoutes.ledgerPath(ledger.id) + "/refusals", method: .get)
            let listed = try JSONDecoder().decode([WitnessAnswer].self, from: Data(buffer: refusals.body))
            #expect(listed.map(\.refusal) == ["equivocation", "rollback"])

            let garbage = try await client.execute(uri: path, method: .post, body: ByteBuffer(string: "{\"note\": 1}"))
            #expect(garbage.status == .badRequest)
            let unknown = try await client.execute(
                uri: WitnessRoutes.ledgerPath(LedgerID(rawValue: String(repeating: "0", count: 64))), method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("hostile bodies get 400, 409, 413 or 422 with a message, never a crash; the witness answers after them")
    func hostileInput() async throws {
        let (ledger, leaves) = try makeLedger(entries: 6)
        let four = Checkpoint.signed(ledger, size: 4, leaves: leaves, by: [seller, buyer])
        func json(
            _ checkpoint: Checkpoint, proof: [String] = [], edit: (inout [String: Any]) -> Void = { _ in }
        )
            throws -> ByteBuffer
        {
            let encoded = try JSONEncoder().encode(
                WitnessCheckpointRequest(
                    WitnessSubmission(checkpoint: checkpoint, consistencyProof: [], header: ledger.header)))
            var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
            object["consistencyProof"] = proof
            edit(&object)
            return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
        }
        var huge = Checkpoint(ledgerID: ledger.id, size: UInt64.max, root: Data(repeating: 1, count: 32), time: nil)
        try huge.sign(with: seller)
        try huge.sign(with: buyer)
        var empty = Checkpoint(ledgerID: ledger.id, size: 0, root: MerkleTree.emptyRoot, time: nil)
        try empty.sign(with: seller)
        try empty.sign(with: buyer)
        let cases: [(String, ByteBuffer, HTTPResponse.Status)] = [
            ("not JSON", ByteBuffer(string: "{"), .badRequest),
            ("a number for the note", ByteBuffer(string: "{\"note\": 1}"), .badRequest),
            ("a note that is no checkpoint", try json(four) { $0["note"] = "scbroker/x\n" }, .badRequest),
            ("a proof hash that is not hex", try json(four, proof: ["zz"]), .badRequest),
            (
                "a header with a 1-byte key",
                try json(four) { object in
                    var header = object["ledger"] as? [String: Any] ?? [:]
                    header["publicKeyA"] = "AA=="
                    object["ledger"] = header
                }, .unprocessableContent
            ),
            ("the largest size there is", try json(huge), .conflict),
            (
                "a 3,000-hash proof",
                try json(huge, proof: Array(repeating: String(repeating: "ab", count: 32), count: 3_000)), .conflict
            ),
            ("an empty tree after a larger one", try json(empty), .conflict),
            ("a proof from the largest size there is", try json(huge) { $0["proofFrom"] = UInt64.max }, .conflict),
            ("a negative proofFrom", try json(huge) { $0["proofFrom"] = -1 }, .badRequest),
            ("a body over 256 KiB", ByteBuffer(string: String(repeating: " ", count: 300_000)), .contentTooLarge),
        ]
        let firstBody = try json(four)
        try await server().application().test(.router) { client in
            let path = WitnessRoutes.checkpointsPath
            let first = try await client.execute(uri: path, method: .post, body: firstBody)
            #expect(first.status == .ok)
            for (name, body, status) in cases {
                let answer = try await client.execute(uri: path, method: .post, body: body)
                #expect(answer.status == status, "\(name): \(String(buffer: answer.body))")
                let object = try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any]
                let message = (object?["error"] ?? object?["message"]) as? String
                #expect(message?.isEmpty == false, "\(name)")
            }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let latest = try await client.execute(uri: WitnessRoutes.ledgerPath(ledger.id), method: .get)
            #expect(try Checkpoint.parse(String(buffer: latest.body)).size == 4)
        }
    }

    @Test("a live node with a witness stores each checkpoint it co-signed with the witness's cosignature")
    func liveNodesWitnessed() async throws {
        let transport = RestartLedgerTests.Loopback()
        try await server().application().test(.live) { client in
            let port = try #require(client.port)
            let link = WitnessClient(url: "http://127.0.0.1:\(port)", key: VerifierKey(witnessKey))
            func ledgers(_ key: PartyKey) throws -> NodeLedgers {
                let ledgers = try NodeLedgers(
                    key: key, database: directory.appendingPathComponent("\(key.party).sqlite").path, withSOF: false,
                    peerKeys: ["SELLER": seller.publicKey, "BUYER": buyer.publicKey], transport: transport,
                    logger: Logger(label: "test"), checkpointInterval: 2, witness: link)
                transport.connect(key.party, ledgers)
                return ledgers
            }
            let sellerLedgers = try ledgers(seller)
            let buyerLedgers = try ledgers(buyer)
            let at = Instant(milliseconds: 1_767_603_600_000)
            for index in 1...3 {
                try await buyerLedgers.append(
                    LedgerRecord(
                        counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:]),
                    at: at)
                try await sellerLedgers.append(
                    LedgerRecord(
                        counterparty: "BUYER", kind: "poq.receipt", refs: ["request": "r-\(index)"],
                        body: ["receivedAt": "now"]), at: at)
            }
            let id = try sellerLedgers.replica(with: "BUYER").id
            // The seller wrote entries 2, 4 and 6, so it had each checkpoint co-signed and then witnessed.
            let stored = try sellerLedgers.store.checkpoints(of: id)
            #expect(stored.map(\.size) == [2, 4, 6])
            for checkpoint in stored {
                #expect(checkpoint.signatureStatus(of: "witness-1", publicKey: witnessKey.publicKey) == .valid)
                #expect(checkpoint.signatureStatus(of: "BUYER", publicKey: buyer.publicKey) == .valid)
            }
            #expect(try await link.latest(of: id)?.size == 6)
            // The seller shared each witnessed note; the buyer, which knows the same witness, keeps its line too.
            #expect(try buyerLedgers.store.checkpoints(of: id) == stored)
            // The auditor verifies the cosignatures given the witness's verifier key.
            let auditor = LedgerAuditor(rules: .broker, witnessKeys: [VerifierKey(witnessKey)])
            let path = directory.appendingPathComponent("SELLER.sqlite").path
            #expect(try auditor.audit(file: path) == [])
        }
    }

    @Test("a counterparty without the witness keeps the shared note with the two parties' lines only")
    func counterpartyWithoutWitness() async throws {
        let transport = RestartLedgerTests.Loopback()
        try await server().application().test(.live) { client in
            let link = WitnessClient(url: "http://127.0.0.1:\(try #require(client.port))", key: VerifierKey(witnessKey))
            func ledgers(_ key: PartyKey, witness: WitnessClient?) throws -> NodeLedgers {
                let ledgers = try NodeLedgers(
                    key: key, database: directory.appendingPathComponent("\(key.party).sqlite").path, withSOF: false,
                    peerKeys: ["SELLER": seller.publicKey, "BUYER": buyer.publicKey], transport: transport,
                    logger: Logger(label: "test"), checkpointInterval: 2, witness: witness)
                transport.connect(key.party, ledgers)
                return ledgers
            }
            let sellerLedgers = try ledgers(seller, witness: nil)
            let buyerLedgers = try ledgers(buyer, witness: link)
            for index in 1...2 {
                try await buyerLedgers.append(
                    LedgerRecord(
                        counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:]),
                    at: Instant(milliseconds: 1_767_603_600_000))
            }
            let id = try buyerLedgers.replica(with: "SELLER").id
            let buyerCheckpoint = try #require(try buyerLedgers.store.checkpoints(of: id).first)
            #expect(buyerCheckpoint.signatures.map(\.name) == ["BUYER", "SELLER", "witness-1"])
            let sellerCheckpoint = try #require(try sellerLedgers.store.checkpoints(of: id).first)
            #expect(sellerCheckpoint.signatures.map(\.name) == ["BUYER", "SELLER"])
            #expect(sellerCheckpoint.noteText == buyerCheckpoint.noteText)
        }
    }

    @Test("the counterparty sends each checkpoint it countersigned to its witness too, even when the author has none")
    func counterpartySubmits() async throws {
        let transport = RestartLedgerTests.Loopback()
        try await server().application().test(.live) { client in
            let link = WitnessClient(url: "http://127.0.0.1:\(try #require(client.port))", key: VerifierKey(witnessKey))
            func ledgers(_ key: PartyKey, witness: WitnessClient?) throws -> NodeLedgers {
                let ledgers = try NodeLedgers(
                    key: key, database: directory.appendingPathComponent("\(key.party).sqlite").path, withSOF: false,
                    peerKeys: ["SELLER": seller.publicKey, "BUYER": buyer.publicKey], transport: transport,
                    logger: Logger(label: "test"), checkpointInterval: 2, witness: witness)
                transport.connect(key.party, ledgers)
                return ledgers
            }
            // The buyer authors every entry and knows no witness; only the seller, its counterparty, does.
            let sellerLedgers = try ledgers(seller, witness: link)
            let buyerLedgers = try ledgers(buyer, witness: nil)
            for index in 1...4 {
                try await buyerLedgers.append(
                    LedgerRecord(
                        counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:]),
                    at: Instant(milliseconds: 1_767_603_600_000))
            }
            let id = try buyerLedgers.replica(with: "SELLER").id
            #expect(try await link.latest(of: id)?.size == 4)
            let sellerCheckpoints = try sellerLedgers.store.checkpoints(of: id)
            #expect(sellerCheckpoints.map(\.size) == [2, 4])
            for checkpoint in sellerCheckpoints {
                #expect(checkpoint.signatures.map(\.name) == ["BUYER", "SELLER", "witness-1"])
                #expect(checkpoint.signatureStatus(of: "witness-1", publicKey: witnessKey.publicKey) == .valid)
            }
            #expect(
                try buyerLedgers.store.checkpoints(of: id).map { $0.signatures.map(\.name) } == [
                    ["BUYER", "SELLER"], ["BUYER", "SELLER"],
                ])

            // A note for size 4 with another root, signed with both parties' keys (a party showing the witness
            // another history than the one the other party showed it), is refused as equivocation and kept.
            var fork = Checkpoint(ledgerID: id, size: 4, root: Data(repeating: 7, count: 32), time: nil)
            try fork.sign(with: buyer)
            try fork.sign(with: seller)
            await sellerLedgers.witnessCountersigned(fork, from: "BUYER")
            let refusals = try await client.execute(
                uri: WitnessRoutes.ledgerPath(id) + "/refusals", method: .get)
            let text = String(buffer: refusals.body)
            #expect(refusals.status == .ok)
            #expect(text.contains("\"equivocation\""))
            #expect(try await link.latest(of: id) == sellerCheckpoints.last)
        }
    }

    @Test("witness: in a node file gives the URL and verifier key; its keys are strict and its values checked")
    func configuration() throws {
        let peer = PartyKey(party: "BUYER").publicKey.hexString
        let valid = NodeConfigurationFileTests.complete.replacingOccurrences(
            of: "publicKey: \"00\"", with: "publicKey: \"\(peer)\"")
        let key = VerifierKey(witnessKey).description
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try valid.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try NodeConfiguration.load(path: path).witness == nil)
        try (valid + "\nwitness: { url: \"http://127.0.0.1:8090\", key: \"\(key)\" }").write(
            toFile: path, atomically: true, encoding: .utf8)
        let witness = try #require(try NodeConfiguration.load(path: path).witness)
        #expect(witness.url == "http://127.0.0.1:8090")
        #expect(witness.key == VerifierKey(witnessKey))

        #expect(
            try NodeConfigurationFileTests.refusal(valid + "\nwitness: { url: \"http://w:1\", kye: \"\(key)\" }")
                == "witness.kye: unknown key; did you mean 'key'?")
        #expect(
            try NodeConfigurationFileTests.refusal(valid + "\nwitness: { url: \"ftp://w\", key: \"\(key)\" }")
                == "witness.url: 'ftp://w' is not an http(s) URL")
        let badKey = key.replacingOccurrences(of: "witness-1+", with: "witness-2+")
        #expect(
            try NodeConfigurationFileTests.refusal(valid + "\nwitness: { url: \"http://w:1\", key: \"\(badKey)\" }")?
                .hasPrefix("witness.key: invalid_key: verifier key hash") == true)
    }
}

extension Checkpoint {
    /// A checkpoint of `ledger`'s first `size` entries, signed by `signers`.
    static func signed(_ ledger: BilateralLedger, size: Int, leaves: [Data], by signers: [PartyKey]) -> Checkpoint {
        var checkpoint = Checkpoint(
            ledgerID: ledger.id, size: UInt64(size), root: MerkleTree.root(leafHashes: leaves.prefix(size)), time: nil)
        for signer in signers { try! checkpoint.sign(with: signer) }
        return checkpoint
    }
}
