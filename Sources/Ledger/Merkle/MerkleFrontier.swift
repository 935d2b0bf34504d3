import Foundation

/// The right edge of a growing RFC 6962 tree: the roots of its complete subtrees, largest first. Appending a leaf
/// is O(log n) and the root is known at every size without the leaves, so a ledger can be checkpointed as it grows
/// without reading its entries back.
public struct MerkleFrontier: Sendable, Hashable {
    /// Complete subtrees, each with its leaf count; sizes strictly decrease.
    private var subtrees: [Subtree] = []
    /// Leaves appended so far.
    public private(set) var size: UInt64 = 0

    private struct Subtree: Sendable, Hashable {
        var hash: Data
        var size: UInt64
    }

    /// The empty tree.
    public init() {}

    /// The tree of `leafHashes` (already leaf-hashed).
    public init(leafHashes: some Sequence<Data>) {
        for leaf in leafHashes { append(leafHash: leaf) }
    }

    /// Adds one leaf (already leaf-hashed): equal sizes merge, as the tree's shape demands.
    public mutating func append(leafHash: Data) {
        var node = Subtree(hash: leafHash, size: 1)
        while let last = subtrees.last, last.size == node.size {
            subtrees.removeLast()
            node = Subtree(hash: MerkleTree.nodeHash(last.hash, node.hash), size: last.size + node.size)
        }
        subtrees.append(node)
        size += 1
    }

    /// The tree head of the leaves so far (`MerkleTree.emptyRoot` when none).
    public var root: Data {
        guard var hash = subtrees.last?.hash else { return MerkleTree.emptyRoot }
        for left in subtrees.dropLast().reversed() { hash = MerkleTree.nodeHash(left.hash, hash) }
        return hash
    }
}
