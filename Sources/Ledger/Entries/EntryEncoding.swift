import CanonicalJSON
import Crypto
import Foundation

/// The byte string an entry hash is taken over: line-oriented UTF-8 text, domain-separated and versioned, so an
/// auditor can rebuild it with `printf` and hash it with `openssl dgst -sha256` (LEDGER.md shows how).
///
///     scbroker-entry-v1\n
///     ledger:<ledger id, 64 hex>\n
///     seq:<decimal>\n
///     prev:<64 hex>\n
///     time:<decimal milliseconds, '-' if negative>\n
///     author:<party id>\n
///     kind:<kind>\n
///     refs:<RFC 8785 canonical JSON of the refs object>\n
///     body-sha256:<64 hex of SHA-256 of the canonical body bytes>\n
///
/// Party ids and kinds may hold no control characters (so no newline), which keeps the encoding unambiguous.
public enum EntryEncoding {
    /// The domain-separation tag on the first line.
    public static let tag = "scbroker-entry-v1"

    /// The encoding text of the given stored fields (refs and body as their canonical JSON bytes).
    public static func text(
        ledgerID: String, seq: UInt64, prevHash: String, time: Int64, author: String, kind: String,
        refsJSON: Data, bodyJSON: Data
    ) -> Data {
        Data(
            bytes(
                ledgerID: ledgerID, seq: seq, prevHash: prevHash, time: time, author: author, kind: kind,
                refsJSON: refsJSON, bodyJSON: bodyJSON))
    }

    /// SHA-256 of `text(...)`: the 32 raw bytes whose hex is the entry hash.
    public static func hash(
        ledgerID: String, seq: UInt64, prevHash: String, time: Int64, author: String, kind: String,
        refsJSON: Data, bodyJSON: Data
    ) -> Data {
        let encoded = bytes(
            ledgerID: ledgerID, seq: seq, prevHash: prevHash, time: time, author: author, kind: kind,
            refsJSON: refsJSON, bodyJSON: bodyJSON)
        return Data(SHA256.hash(data: encoded))
    }

    /// `text(...)` as bytes, written piece by piece into one buffer (every entry is hashed by its author and again by
    /// its counterparty, and by the auditor: no interpolated strings on the way).
    private static func bytes(
        ledgerID: String, seq: UInt64, prevHash: String, time: Int64, author: String, kind: String,
        refsJSON: Data, bodyJSON: Data
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(
            160 + ledgerID.utf8.count + prevHash.utf8.count + author.utf8.count + kind.utf8.count + refsJSON.count)
        out.append(contentsOf: tag.utf8)
        out.append(contentsOf: "\nledger:".utf8)
        out.append(contentsOf: ledgerID.utf8)
        out.append(contentsOf: "\nseq:".utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: "\nprev:".utf8)
        out.append(contentsOf: prevHash.utf8)
        out.append(contentsOf: "\ntime:".utf8)
        out.append(contentsOf: String(time).utf8)
        out.append(contentsOf: "\nauthor:".utf8)
        out.append(contentsOf: author.utf8)
        out.append(contentsOf: "\nkind:".utf8)
        out.append(contentsOf: kind.utf8)
        out.append(contentsOf: "\nrefs:".utf8)
        out.append(contentsOf: refsJSON)
        out.append(contentsOf: "\nbody-sha256:".utf8)
        Hex.append(SHA256.hash(data: bodyJSON), to: &out)
        out.append(0x0a)
        return out
    }

    /// The refs map of a parsed refs value.
    /// - Throws: `RefsProblem` when the value is not an object, or names the first member that is not a string.
    public static func refs(from value: JSONValue) throws(RefsProblem) -> [String: String] {
        guard case .object(let members) = value else { throw .notAnObject }
        var refs: [String: String] = [:]
        for (name, member) in members {
            guard case .string(let text) = member else { throw .notAString(name) }
            refs[name] = text
        }
        return refs
    }

    /// Why a parsed value is not a refs map.
    public enum RefsProblem: Error {
        case notAnObject
        case notAString(String)
    }

    /// RFC 8785 canonical JSON of a refs map (an object of strings).
    public static func refsJSON(_ refs: [String: String]) -> Data {
        JSONValue.object(refs.mapValues { .string($0) }).canonicalData
    }

    /// Throws unless `kind` is 1-128 characters without control characters.
    static func validate(kind: String) throws {
        let scalars = kind.unicodeScalars
        guard (1...128).contains(scalars.count), scalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) else {
            throw LedgerError(.invalidField, "kind \"\(kind)\" must be 1-128 characters without control characters")
        }
    }
}
