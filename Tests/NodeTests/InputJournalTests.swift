import CanonicalJSON
import Foundation
import GRDB
import Ledger
import Node
import SupplyChain
import Testing

struct InputJournalTests {
    private static func request(respondBy: Int64, payload: JSONValue) -> InputJournal.Entry {
        .input(
            .message(
                from: "BUYER",
                .request(
                    SupplyRequest(
                        id: "rq-1", kind: .poq, payload: payload, loopPreventionList: LoopPreventionList(),
                        respondBy: Instant(milliseconds: respondBy)))),
            replyTo: "http://127.0.0.1:9", trace: "BUYER/rq-1")
    }

    private static func journal() throws -> (InputJournal, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (try InputJournal(path: directory.appendingPathComponent("j.sqlite").path), directory)
    }

    /// The `format` column of every line, oldest first.
    private static func formats(in directory: URL) throws -> [String?] {
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("j.sqlite").path)
        return try queue.read { try String?.fetchAll($0, sql: "SELECT format FROM journal ORDER BY seq") }
    }

    @Test("a journal line reads back as the input it holds, payload numbers and strings exactly")
    func linesReadBack() throws {
        let (journal, directory) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: directory) }
        let payload: JSONValue = [
            "instantSyncQualification": true, "bandwidthMbps": 0.1, "big": 1e19, "note": "a/b \u{1F600} \"q\"",
            "items": [["id": "i", "n": -3]],
        ]
        let entry = Self.request(respondBy: 1_796_034_807_659, payload: payload)
        try journal.append(entry, at: Instant(milliseconds: 5), seed: 42)
        let lines = try journal.lines()
        try #require(lines.count == 1)
        #expect(lines[0].entry == entry)
        #expect(lines[0].seed == 42)
        // Written from the entry's tree, and read back from it.
        #expect(try Self.formats(in: directory) == ["tree"])
    }

    @Test("a line JSONEncoder wrote (every line before the format column) still reads back")
    func encoderLinesReadBack() throws {
        let (journal, directory) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: directory) }
        let entry = Self.request(respondBy: 1_796_034_807_659, payload: ["a/b": "c/d", "n": 2])
        let text = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("j.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO journal (at, seed, entry) VALUES (5, 3, ?)", arguments: [text])
        }
        let lines = try journal.lines()
        try #require(lines.count == 1)
        #expect(lines[0].entry == entry)
        #expect(try Self.formats(in: directory) == [nil])
    }

    @Test("the format column decides the reader: a 'tree' line is parsed strictly (a repeated member refuses it)")
    func formatChoosesTheReader() throws {
        let (journal, directory) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: directory) }
        let entry = Self.request(respondBy: 1_796_034_807_659, payload: ["n": 2])
        let text = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        // The same line with its member repeated: JSONDecoder reads it, the strict parser of tree lines does not.
        try #require(text.hasPrefix("{\"input\":") && text.hasSuffix("}"))
        let member = text.dropFirst().dropLast()
        let repeated = "{" + member + "," + member + "}"
        #expect(try JSONDecoder().decode(InputJournal.Entry.self, from: Data(repeated.utf8)) == entry)
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("j.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO journal (at, seed, entry) VALUES (5, 3, ?)", arguments: [repeated])
            try db.execute(
                sql: "INSERT INTO journal (at, seed, entry, format) VALUES (6, 4, ?, 'tree')", arguments: [repeated])
        }
        let contents = try journal.replayable()
        #expect(contents.lines.map(\.entry) == [entry])
        #expect(contents.quarantined.map(\.seq) == [2])
    }

    @Test("an integer beyond 2^53, which a JSON tree's numbers cannot hold, is kept exactly")
    func integerBeyondDoublePrecision() throws {
        let (journal, directory) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: directory) }
        // 2^53 + 1: a Double rounds it to 2^53.
        let entry = Self.request(respondBy: 9_007_199_254_740_993, payload: ["id": "x"])
        try journal.append(entry, at: Instant(milliseconds: 5), seed: 1)
        let lines = try journal.lines()
        try #require(lines.count == 1)
        guard case .input(.message(_, .request(let request)), _, _) = lines[0].entry else {
            Issue.record("not the request that was journaled")
            return
        }
        #expect(request.respondBy.milliseconds == 9_007_199_254_740_993)
        // Written by JSONEncoder, read by JSONDecoder.
        #expect(try Self.formats(in: directory) == [nil])
    }
}
