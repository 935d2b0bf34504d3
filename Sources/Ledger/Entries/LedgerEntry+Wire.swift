import CanonicalJSON
import Foundation

/// The entries of batched agreement on the wire: a JSON array of entry objects with the fields `Codable` gives a
/// `LedgerEntry` (signatures in base64; `counterSignature` absent while pending), read and written without
/// Foundation's coders. A lane's batch is decoded once by the counterparty and its answer once by the author, so
/// on a busy node this is on every entry's path; `JSONDecoder` spent most of its time there walking coding paths.
extension LedgerEntry {
    /// A JSON array of `entries`, as `JSONEncoder` would write it (member order aside).
    public static func wireData(_ entries: [LedgerEntry]) -> Data {
        var out = Data()
        out.reserveCapacity(entries.count * 900)
        out.append(UInt8(ascii: "["))
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            entry.appendWire(to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The entries of a JSON array written by `wireData` (or by `JSONEncoder`). The text must be I-JSON (no member
    /// name twice), as every JSON body a node takes.
    /// - Throws: `LedgerError(.invalidField)` naming the entry and field that is missing or of the wrong form.
    public static func entries(wireData data: Data) throws -> [LedgerEntry] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw LedgerError(.invalidField, "entries are not JSON: \(error)")
        }
        return try entries(wireValue: value, text: data)
    }

    /// The entries of the wire's array already parsed; `text` is the array's JSON text, read with `JSONDecoder`
    /// instead when a `seq` or `time` lies beyond the integers a `Double` holds exactly (2^53).
    public static func entries(wireValue value: JSONValue, text: Data) throws -> [LedgerEntry] {
        guard case .array(let items) = value else { throw LedgerError(.invalidField, "entries are not a JSON array") }
        do {
            return try items.enumerated().map { index, item in try LedgerEntry(wireValue: item, at: index) }
        } catch is BeyondDouble {
            do {
                return try JSONDecoder().decode([LedgerEntry].self, from: text)
            } catch {
                throw LedgerError(.invalidField, "entries do not decode: \(error)")
            }
        }
    }

    /// A `seq` or `time` too large for the parsed tree's `Double` to hold exactly.
    private struct BeyondDouble: Error {}

    /// An entry from one object of the wire's array.
    init(wireValue value: JSONValue, at index: Int) throws {
        guard case .object(let fields) = value else {
            throw LedgerError(.invalidField, "entry \(index) is not an object")
        }
        func field(_ name: String) throws -> JSONValue {
            guard let value = fields[name] else { throw LedgerError(.invalidField, "entry \(index): \(name) missing") }
            return value
        }
        func string(_ name: String) throws -> String {
            guard case .string(let text) = try field(name) else {
                throw LedgerError(.invalidField, "entry \(index): \(name) is not a string")
            }
            return text
        }
        func integer<T: FixedWidthInteger>(_ name: String, as: T.Type) throws -> T {
            guard case .number(let number) = try field(name) else {
                throw LedgerError(.invalidField, "entry \(index): \(name) is not an integer")
            }
            guard abs(number) < 0x1p53 else { throw BeyondDouble() }
            guard let exact = T(exactly: number) else {
                throw LedgerError(.invalidField, "entry \(index): \(name) is not an integer")
            }
            return exact
        }
        func signature(_ text: String, _ name: String) throws -> Data {
            guard let bytes = Data(base64Encoded: text) else {
                throw LedgerError(.invalidField, "entry \(index): \(name) is not base64")
            }
            return bytes
        }
        let refs: [String: String]
        do {
            refs = try EntryEncoding.refs(from: try field("refs"))
        } catch EntryEncoding.RefsProblem.notAnObject {
            throw LedgerError(.invalidField, "entry \(index): refs is not an object")
        } catch EntryEncoding.RefsProblem.notAString(let name) {
            throw LedgerError(.invalidField, "entry \(index): refs.\(name) is not a string")
        }
        var counterSignature: Data?
        switch fields["counterSignature"] {
        case nil, .null?: counterSignature = nil
        case .string(let text)?: counterSignature = try signature(text, "counterSignature")
        case _?: throw LedgerError(.invalidField, "entry \(index): counterSignature is not a string")
        }
        self.init(
            ledgerID: LedgerID(rawValue: try string("ledgerID")), seq: try integer("seq", as: UInt64.self),
            prevHash: try string("prevHash"), time: try integer("time", as: Int64.self),
            author: PartyID(try string("author")), kind: try string("kind"), refs: refs, body: try field("body"),
            entryHash: try string("entryHash"),
            authorSignature: try signature(try string("authorSignature"), "authorSignature"),
            counterSignature: counterSignature)
    }

    /// Appends this entry's wire object: the canonical body and refs bytes as they are, strings escaped as JSON.
    private func appendWire(to out: inout Data) {
        func member(_ name: String, _ value: JSONValue, first: Bool = false) {
            out.append(contentsOf: first ? "{\"\(name)\":".utf8 : ",\"\(name)\":".utf8)
            out.append(value.canonicalData)
        }
        member("author", .string(author.rawValue), first: true)
        member("authorSignature", .string(authorSignature.base64EncodedString()))
        out.append(contentsOf: ",\"body\":".utf8)
        out.append(bodyJSON)
        if let counterSignature { member("counterSignature", .string(counterSignature.base64EncodedString())) }
        member("entryHash", .string(entryHash))
        member("kind", .string(kind))
        member("ledgerID", .string(ledgerID.rawValue))
        member("prevHash", .string(prevHash))
        out.append(contentsOf: ",\"refs\":".utf8)
        out.append(refsJSON)
        out.append(contentsOf: ",\"seq\":\(seq),\"time\":\(time)}".utf8)
    }

    // MARK: - The countersignatures alone

    /// The answer to a batch as its author asks for it (`?answer=countersignatures`): for each countersigned entry,
    /// in order, only what the author does not already have — `{"seq": …, "entryHash": "…", "counterSignature":
    /// "<base64>"}`. The author proposed these very entries; sending them back whole made each one be written and
    /// parsed again.
    public static func countersignatureWire(_ entries: [LedgerEntry]) -> Data {
        var out = Data()
        out.reserveCapacity(entries.count * 200 + 2)
        out.append(UInt8(ascii: "["))
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"counterSignature\":".utf8)
            out.append(JSONValue.string(entry.counterSignature?.base64EncodedString() ?? "").canonicalData)
            out.append(contentsOf: ",\"entryHash\":".utf8)
            out.append(JSONValue.string(entry.entryHash).canonicalData)
            out.append(contentsOf: ",\"seq\":\(entry.seq)}".utf8)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The author's `proposed` entries countersigned as a batch's answer says: the answer is either the
    /// countersigned entries in full (a counterparty that does not know `?answer=countersignatures` sends them so)
    /// or their countersignatures alone (`countersignatureWire`), for a prefix of `proposed` in order.
    /// - Throws: `LedgerError(.invalidField)` when the answer is neither, or names an entry that was not proposed at
    ///   its place (seq and hash); the countersignatures themselves are verified when the batch is committed.
    public static func countersigned(_ proposed: [LedgerEntry], answer data: Data) throws -> [LedgerEntry] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw LedgerError(.invalidField, "the answer is not JSON: \(error)")
        }
        guard case .array(let items) = value else { throw LedgerError(.invalidField, "the answer is not an array") }
        if case .object(let first)? = items.first, first["kind"] != nil {
            return try entries(wireValue: value, text: data)
        }
        guard items.count <= proposed.count else {
            throw LedgerError(
                .invalidField, "the answer countersigns \(items.count) entries; \(proposed.count) proposed")
        }
        return try zip(items, proposed).enumerated().map { index, pair in
            let (item, entry) = pair
            guard case .object(let fields) = item, case .string(let hash)? = fields["entryHash"],
                case .number(let seq)? = fields["seq"], case .string(let signature)? = fields["counterSignature"]
            else {
                throw LedgerError(
                    .invalidField, "answer \(index): not {seq, entryHash, counterSignature} of a proposed entry")
            }
            guard seq == Double(entry.seq), hash == entry.entryHash else {
                throw LedgerError(
                    .invalidField, "answer \(index) names entry \(seq) \(hash.prefix(16)), not the one proposed there")
            }
            guard let bytes = Data(base64Encoded: signature) else {
                throw LedgerError(.invalidField, "answer \(index): counterSignature is not base64")
            }
            var countersigned = entry
            countersigned.counterSignature = bytes
            return countersigned
        }
    }
}
