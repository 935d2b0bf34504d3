import Crypto
import Foundation

/// The RFC 6962 / RFC 9162 Merkle tree over a ledger's entries: leaf `i` is entry `seq = i + 1`, and its leaf
/// data is the 32 raw bytes of the entry hash.
///
/// Leaf hash `SHA-256(0x00 ‖ data)`, node hash `SHA-256(0x01 ‖ left ‖ right)`, empty tree `SHA-256("")`;
/// inclusion and consistency proofs as in RFC 9162 §2.1.3 and §2.1.4.
public enum MerkleTree {
    /// The hash of the empty tree, `e3b0c442…b855`.
    public static let emptyRoot = Data(SHA256.hash(data: Data()))

    /// `SHA-256(0x00 ‖ data)`.
    public static func leafHash(_ data: some DataProtocol) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: data)
        return Data(hasher.finalize())
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }

    /// The tree head of `leafHashes` (already leaf-hashed), in O(n) time and O(log n) memory.
    public static func root(leafHashes: some Collection<Data>) -> Data {
        MerkleFrontier(leafHashes: leafHashes).root
    }

    /// The inclusion proof (audit path) of leaf `index` in the tree of `leafHashes` (RFC 9162 §2.1.3.1).
    public static func inclusionProof(index: Int, leafHashes: [Data]) -> [Data] {
        precondition(index >= 0 && index < leafHashes.count, "leaf index out of range")
        return path(index, leafHashes[...])
    }

    /// The consistency proof from the tree of the first `oldSize` leaves to the tree of all `leafHashes`
    /// (RFC 9162 §2.1.4.1).
    public static func consistencyProof(oldSize: Int, leafHashes: [Data]) -> [Data] {
        precondition(oldSize >= 0 && oldSize <= leafHashes.count, "old size out of range")
        guard oldSize > 0 else { return [] }
        return subproof(oldSize, leafHashes[...], complete: true)
    }

    /// Verifies an inclusion proof (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(
        leafHash: Data, index: UInt64, treeSize: UInt64, proof: [Data], root: Data
    ) -> Bool {
        guard index < treeSize else { return false }
        var fn = index
        var sn = treeSize - 1
        var hash = leafHash
        for sibling in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                hash = nodeHash(sibling, hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && hash == root
    }

    /// Verifies a consistency proof between two tree heads (RFC 9162 §2.1.4.2); equal sizes need an empty proof
    /// and equal roots, and the empty tree is consistent with every tree.
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: Data, newRoot: Data, proof: [Data]
    ) -> Bool {
        guard oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty && oldRoot == emptyRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldHash = path[0]
        var newHash = path[0]
        for sibling in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                oldHash = nodeHash(sibling, oldHash)
                newHash = nodeHash(sibling, newHash)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newHash = nodeHash(newHash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && oldHash == oldRoot && newHash == newRoot
    }

    // MARK: - RFC 9162 PATH and SUBPROOF

    /// The largest power of two strictly less than `n` (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    private static func path(_ index: Int, _ leaves: ArraySlice<Data>) -> [Data] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        let start = leaves.startIndex
        if index < k {
            return path(index, leaves[start..<start + k]) + [root(leafHashes: leaves[(start + k)...])]
        }
        return path(index - k, leaves[(start + k)...]) + [root(leafHashes: leaves[start..<start + k])]
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<Data>, complete: Bool) -> [Data] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leafHashes: leaves)] }
        let k = split(n)
        let start = leaves.startIndex
        if m <= k {
            return subproof(m, leaves[start..<start + k], complete: complete) + [
                root(leafHashes: leaves[(start + k)...])
            ]
        }
        return subproof(m - k, leaves[(start + k)...], complete: false) + [root(leafHashes: leaves[start..<start + k])]
    }
}

extension MerkleTree {
    /// The leaf hashes of a ledger's entries (leaf data = the 32 raw bytes of each entry hash).
    public static func leafHashes(of entries: [LedgerEntry]) -> [Data] {
        leafHashes(ofEntryHashes: entries.map(\.entryHash))
    }

    /// The leaves of entries given by their `entryHash`: the hash's 32 bytes, or its text when it is not 64 hex
    /// digits (a damaged entry still gets a leaf of its own).
    public static func leafHashes(ofEntryHashes hashes: [String]) -> [Data] {
        hashes.map { hash in
            leafHash(Hex.isCanonical(hash, byteCount: 32) ? Data(hexString: hash) ?? Data(hash.utf8) : Data(hash.utf8))
        }
    }
}
