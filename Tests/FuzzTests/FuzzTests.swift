import CanonicalJSON
import Foundation
import Ledger
import Node
import ScenarioModel
import Sonata
import SupplyChain
import Testing

/// Fuzz targets over everything that reads outside input: the JSON parser, the Sonata validators and the core's
/// element decoding, ledger entry decoding and countersigning, the scenario loader and plan, and the request
/// verifier. Each runs `Mutator.iterations` mutated inputs; a crash stops the test process (and CI), an invariant
/// broken is a failed expectation naming the input.
struct FuzzTests {
    static let poq = #"""
        {"instantSyncQualification": false, "provideAlternative": true, "externalId": "x-1",
         "requestedPOQCompletionDate": "2026-01-05T10:00:00Z",
         "relatedContactInformation": [{"role": "buyerContactInformation", "name": "N", "emailAddress": "a@b.c",
           "number": "1", "organization": "O"}],
         "productOfferingQualificationItem": [{"id": "1", "action": "add",
           "product": {"productOffering": {"id": "EPL"}, "productConfiguration": {"@type": "urn:x", "bandwidthMbps": 100},
             "place": [{"@type": "GeographicSiteRef", "role": "A", "id": "PARIS-7"}]}}]}
        """#

    @Test("fuzz: the JSON parser never crashes, and what it accepts round-trips through canonical JSON")
    func jsonParser() throws {
        var mutator = Mutator()
        let seed = Array(Self.poq.utf8)
        for iteration in 0..<Mutator.iterations {
            let input = mutator.mutate(seed)
            guard let value = try? JSONValue.parse(Data(input)) else { continue }
            let canonical = value.canonicalData
            let again = try JSONValue.parse(canonical)
            #expect(again == value, "iteration \(iteration): \(String(decoding: input, as: UTF8.self))")
            #expect(again.canonicalData == canonical)
        }
    }

    @Test("fuzz: the Sonata validators and the core's element decoding take any JSON without crashing")
    func sonata() throws {
        var mutator = Mutator(seed: Mutator.seed &+ 1)
        let seed = Array(Self.poq.utf8)
        var admitted = 0
        for _ in 0..<Mutator.iterations {
            guard
                let value = try? JSONValue.parse(
                    Data(mutator.mutate(seed)), maximumDepth: JSONValue.maximumRequestDepth)
            else { continue }
            for kind in [PayloadKind.poq, .quote, .order] { _ = SonataValidator.validate(value, kind: kind) }
            let (decoded, findings) = SonataValidator.admitPOQ(value)
            if let decoded, findings.isEmpty {
                admitted += 1
                for item in decoded.productOfferingQualificationItem {
                    let element = ServiceElement(item: item)
                    // Whatever the number, the element keeps its sign (no wrap-around): 1e19 is a huge bandwidth.
                    if let asked = item.product.productConfiguration?["bandwidthMbps"]?.numberValue, !asked.isNaN {
                        let kept = try #require(element.bandwidthMbps)
                        #expect(asked > 0 ? kept > 0 : kept <= 0, "\(asked) became \(kept)")
                    }
                }
            }
        }
        #expect(admitted > 0, "some mutations stay valid, so the admitted path is exercised too")
    }

    @Test("fuzz: a damaged ledger entry is never countersigned, and decoding it never crashes")
    func ledgerEntries() throws {
        let buyer = try PartyKey(party: "BUYER", seed: Data(repeating: 1, count: 32))
        let seller = try PartyKey(party: "SELLER", seed: Data(repeating: 2, count: 32))
        let header = try LedgerHeader(
            "BUYER", publicKey: buyer.publicKey, "SELLER", publicKey: seller.publicKey, genesisNonce: Data("g".utf8))
        let author = try LedgerReplica(key: buyer, header: header, store: InMemoryLedgerStore())
        let genuine = try author.propose(
            kind: "poq.request", refs: ["request": "rq-1"], body: try JSONValue.parse(Data(Self.poq.utf8)), time: 1_000)
        let seed = Array(try JSONEncoder().encode(genuine))
        var mutator = Mutator(seed: Mutator.seed &+ 2)
        for iteration in 0..<Mutator.iterations {
            guard let entry = try? JSONDecoder().decode(LedgerEntry.self, from: Data(mutator.mutate(seed))) else {
                continue
            }
            let receiver = try LedgerReplica(key: seller, header: header, store: InMemoryLedgerStore(), rules: .broker)
            guard case .countersigned(let agreed)? = try? receiver.receive(entry, now: 1_000) else { continue }
            // Only an entry whose every hashed field is intact can pass (a re-encoding of the same entry).
            #expect(agreed.computeHash() == genuine.computeHash(), "iteration \(iteration)")
            #expect(agreed.entryHash == genuine.entryHash && agreed.kind == genuine.kind && agreed.time == genuine.time)
        }
    }

    @Test("fuzz: the witness takes any damaged submission without crashing and never moves its latest backwards")
    func witnessSubmissions() throws {
        let alice = try PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
        let bob = try PartyKey(party: "bob", seed: Data(repeating: 2, count: 32))
        let ledger = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data("w".utf8), storeA: InMemoryLedgerStore(),
            storeB: InMemoryLedgerStore())
        for index in 1...12 {
            try ledger.record(
                author: "alice", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:], time: Int64(index))
        }
        let leaves = MerkleTree.leafHashes(of: try ledger.copy(of: "alice").store.entries(of: ledger.id))
        func checkpoint(_ size: Int) throws -> Checkpoint {
            var checkpoint = Checkpoint(
                ledgerID: ledger.id, size: UInt64(size), root: MerkleTree.root(leafHashes: leaves.prefix(size)),
                time: Int64(size))
            try checkpoint.sign(with: alice)
            try checkpoint.sign(with: bob)
            return checkpoint
        }
        let witness = Witness(
            key: try PartyKey(party: "witness", seed: Data(repeating: 3, count: 32)), store: InMemoryWitnessStore())
        guard
            case .cosigned = try witness.submit(
                WitnessSubmission(checkpoint: try checkpoint(8), consistencyProof: [], header: ledger.header))
        else { throw LedgerError(.invalidField, "the first checkpoint was refused") }
        let seed = Array(
            try JSONEncoder().encode(
                WitnessCheckpointRequest(
                    WitnessSubmission(
                        checkpoint: try checkpoint(12),
                        consistencyProof: MerkleTree.consistencyProof(oldSize: 8, leafHashes: leaves),
                        header: ledger.header, proofFrom: 8))))
        var mutator = Mutator(seed: Mutator.seed &+ 5)
        var latest: UInt64 = 8
        for iteration in 0..<Mutator.iterations {
            guard
                let request = try? JSONDecoder().decode(
                    WitnessCheckpointRequest.self, from: Data(mutator.mutate(seed))),
                let submission = try? request.submission()
            else { continue }
            let verdict = try witness.submit(submission)
            let now = try #require(try witness.latest(of: ledger.id)).size
            #expect(now >= latest, "iteration \(iteration)")
            if case .cosigned(let cosigned) = verdict, cosigned.size > latest {
                // Growth is cosigned only with the parties' genuine root of that size.
                #expect(cosigned.root == MerkleTree.root(leafHashes: leaves.prefix(Int(cosigned.size))))
            }
            latest = now
        }
    }

    @Test("fuzz: the scenario loader and plan refuse damaged scenario files with a field path, never a crash")
    func scenarios() throws {
        var mutator = Mutator(seed: Mutator.seed &+ 3)
        let names = ScenarioLoader.embeddedNames()
        for iteration in 0..<max(1, Mutator.iterations / 5) {
            let (text, directory) = try ScenarioLoader.embedded(names[iteration % names.count])
            let damaged = String(decoding: mutator.mutate(Array(text.utf8)), as: UTF8.self)
            do {
                _ = try SimulationPlan(try ScenarioLoader.parse(damaged), directory: directory)
            } catch let error as ScenarioError {
                #expect(!error.description.isEmpty)
            } catch {
                // A YAML syntax error from the loader: also a clear refusal.
            }
        }
    }

    @Test("fuzz: the request verifier accepts only the request as signed, whatever the headers hold")
    func requestVerifier() throws {
        let buyer = try PartyKey(party: "BUYER", seed: Data(repeating: 3, count: 32))
        let verifier = RequestVerifier(keys: ["BUYER": buyer.publicKey], audiences: ["SELLER"])
        let body = Data(Self.poq.utf8)
        var mutator = Mutator(seed: Mutator.seed &+ 4)
        for iteration in 0..<Mutator.iterations {
            let signature = try RequestSignature.sign(
                audience: "SELLER", method: "POST", path: "/p", body: body, key: buyer)
            var fields = [
                signature.audience.rawValue, String(signature.timestamp), signature.nonce,
                signature.signature.base64EncodedString(), String(decoding: body, as: UTF8.self),
            ]
            let which = mutator.below(fields.count)
            fields[which] = String(decoding: mutator.mutate(Array(fields[which].utf8)), as: UTF8.self)
            let result = verifier.verify(
                method: "POST", path: "/p", body: Data(fields[4].utf8),
                signature: RequestSignature(
                    keyID: "BUYER", audience: PartyID(fields[0]), timestamp: Int64(fields[1]) ?? .min,
                    nonce: fields[2], signature: Data(base64Encoded: fields[3]) ?? Data()))
            let unchanged =
                fields[0] == "SELLER" && fields[1] == String(signature.timestamp) && fields[2] == signature.nonce
                && Data(base64Encoded: fields[3]) == signature.signature && Data(fields[4].utf8) == body
            if case .success = result {
                #expect(unchanged, "iteration \(iteration): a damaged request was accepted")
            }
        }
    }
}
