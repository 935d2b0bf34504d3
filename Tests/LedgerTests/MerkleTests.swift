import Crypto
import Foundation
import Testing

@testable import Ledger

@Suite("RFC 6962 / RFC 9162 Merkle tree")
struct MerkleTests {
    /// The leaves of the certificate-transparency reference test vectors.
    static let leaves: [Data] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map { Data(hexString: $0)! }

    /// Their roots for sizes 1 to 8.
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func leafHashes(_ count: Int) -> [Data] {
        (0..<count).map { MerkleTree.leafHash(Data("leaf \($0)".utf8)) }
    }

    @Test("known answers: empty tree, empty leaf, and the reference roots of sizes 1-8")
    func knownAnswers() {
        #expect(MerkleTree.emptyRoot.hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree.root(leafHashes: []).hexString == MerkleTree.emptyRoot.hexString)
        #expect(
            MerkleTree.leafHash(Data()).hexString == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        let hashes = Self.leaves.map { MerkleTree.leafHash($0) }
        for size in 1...8 {
            #expect(MerkleTree.root(leafHashes: hashes.prefix(size)).hexString == Self.roots[size - 1])
        }
    }

    @Test("the reference inclusion proof of leaf 0 in the tree of 8")
    func knownInclusionProof() {
        let hashes = Self.leaves.map { MerkleTree.leafHash($0) }
        let proof = MerkleTree.inclusionProof(index: 0, leafHashes: hashes)
        #expect(
            proof.map(\.hexString) == [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ])
    }

    @Test("every inclusion proof of trees up to 20 leaves verifies; altered ones are rejected")
    func inclusionProofs() {
        for size in 1...20 {
            let hashes = Self.leafHashes(size)
            let root = MerkleTree.root(leafHashes: hashes)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, leafHashes: hashes)
                let leaf = hashes[index]
                let n = UInt64(size)
                let i = UInt64(index)
                #expect(MerkleTree.verifyInclusion(leafHash: leaf, index: i, treeSize: n, proof: proof, root: root))
                // Must reject: wrong leaf, wrong index, wrong root, altered, shortened, lengthened. (A wrong size is not
                // always caught by the path alone: the signed checkpoint binds the size to the root.)
                let other = MerkleTree.leafHash(Data("other".utf8))
                #expect(!MerkleTree.verifyInclusion(leafHash: other, index: i, treeSize: n, proof: proof, root: root))
                #expect(!MerkleTree.verifyInclusion(leafHash: leaf, index: n, treeSize: n, proof: proof, root: root))
                if size > 1 {
                    let wrongIndex = (i + 1) % n
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: leaf, index: wrongIndex, treeSize: n, proof: proof, root: root))
                    var altered = proof
                    altered[0][0] ^= 1
                    #expect(
                        !MerkleTree.verifyInclusion(leafHash: leaf, index: i, treeSize: n, proof: altered, root: root))
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: leaf, index: i, treeSize: n, proof: Array(proof.dropLast()), root: root))
                }
                #expect(
                    !MerkleTree.verifyInclusion(
                        leafHash: leaf, index: i, treeSize: n, proof: proof + [other], root: root))
                #expect(
                    !MerkleTree.verifyInclusion(leafHash: leaf, index: i, treeSize: n, proof: proof, root: other))
            }
        }
    }

    @Test("every consistency proof between trees up to 20 leaves verifies; altered ones are rejected")
    func consistencyProofs() {
        let all = Self.leafHashes(20)
        for newSize in 1...20 {
            let hashes = Array(all.prefix(newSize))
            let newRoot = MerkleTree.root(leafHashes: hashes)
            for oldSize in 0...newSize {
                let oldRoot = MerkleTree.root(leafHashes: hashes.prefix(oldSize))
                let proof = MerkleTree.consistencyProof(oldSize: oldSize, leafHashes: hashes)
                let (m, n) = (UInt64(oldSize), UInt64(newSize))
                #expect(
                    MerkleTree.verifyConsistency(
                        oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: newRoot, proof: proof))
                guard oldSize > 0 && oldSize < newSize else { continue }
                let bogus = MerkleTree.leafHash(Data("bogus".utf8))
                #expect(
                    !MerkleTree.verifyConsistency(
                        oldSize: m, newSize: n, oldRoot: bogus, newRoot: newRoot, proof: proof))
                #expect(
                    !MerkleTree.verifyConsistency(
                        oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: bogus, proof: proof))
                #expect(
                    !MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: newRoot, proof: [])
                )
                var altered = proof
                altered[altered.count - 1][0] ^= 1
                #expect(
                    !MerkleTree.verifyConsistency(
                        oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: newRoot, proof: altered))
                #expect(
                    !MerkleTree.verifyConsistency(
                        oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: newRoot, proof: proof + [bogus]))
                #expect(
                    !MerkleTree.verifyConsistency(
                        oldSize: n, newSize: m, oldRoot: newRoot, newRoot: oldRoot, proof: proof))
            }
        }
    }

    @Test("a checkpoint round-trips through the C2SP signed-note text and verifies both signers")
    func checkpointNote() throws {
        let alice = try PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
        let bob = try PartyKey(party: "bob", seed: Data(repeating: 2, count: 32))
        let id = LedgerID.derive(between: "alice", and: "bob", genesisNonce: Data())
        var checkpoint = Checkpoint(ledgerID: id, size: 3, root: Data(repeating: 9, count: 32), time: 42)
        try checkpoint.sign(with: alice)
        try checkpoint.sign(with: bob)
        let lines = checkpoint.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "scbroker/\(id.rawValue)")
        #expect(lines[1] == "3")
        #expect(lines[3] == "time 42")
        #expect(lines[4] == "")
        #expect(lines[5].hasPrefix("— alice "))
        let parsed = try Checkpoint.parse(checkpoint.text)
        #expect(parsed == checkpoint)
        #expect(parsed.ledgerID == id)
        #expect(parsed.signatureStatus(of: "alice", publicKey: alice.publicKey) == .valid)
        #expect(parsed.signatureStatus(of: "bob", publicKey: bob.publicKey) == .valid)
        #expect(parsed.signatureStatus(of: "bob", publicKey: alice.publicKey) == .invalid)
        #expect(parsed.signatureStatus(of: "carol", publicKey: alice.publicKey) == .missing)
        var keyHashInput = Data("alice\n".utf8)
        keyHashInput.append(0x01)
        keyHashInput.append(alice.publicKey)
        #expect(
            Checkpoint.keyHash(name: "alice", publicKey: alice.publicKey)
                == Data(SHA256.hash(data: keyHashInput).prefix(4)))
    }
}
