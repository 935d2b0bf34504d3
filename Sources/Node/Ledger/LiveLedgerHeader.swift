import Crypto
import Foundation
import Ledger

extension LedgerHeader {
    /// The header both parties of a live ledger compute alike from their ids and public keys, so neither has to
    /// send it: the genesis nonce is SHA-256 over both, in party order.
    public static func live(
        _ a: PartyID, publicKey keyA: Data, _ b: PartyID, publicKey keyB: Data
    ) throws
        -> LedgerHeader
    {
        let ((first, firstKey), (second, secondKey)) = a < b ? ((a, keyA), (b, keyB)) : ((b, keyB), (a, keyA))
        var hasher = SHA256()
        hasher.update(data: Data("scbroker-live-genesis\n\(first.rawValue)\n\(second.rawValue)\n".utf8))
        hasher.update(data: firstKey)
        hasher.update(data: secondKey)
        return try LedgerHeader(
            first, publicKey: firstKey, second, publicKey: secondKey, genesisNonce: Data(hasher.finalize()))
    }
}
