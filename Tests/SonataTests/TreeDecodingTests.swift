import CanonicalJSON
import Foundation
import Sonata
import Testing

/// `JSONValue.decode` reads a parsed payload straight from its tree: it must give what `JSONDecoder` gives for the
/// same text, models and errors alike (the errors become the field paths of MEF error bodies).
struct TreeDecodingTests {
    @Test("every MEF POQ example decodes from its tree as JSONDecoder decodes its text")
    func examplesDecodeAlike() throws {
        let names = Fixtures.names(of: "poq")
        try #require(names.count >= 10)
        for name in names {
            let text = try Fixtures.data(name)
            let fromText = try JSONDecoder().decode(ProductOfferingQualificationCreate.self, from: text)
            let fromTree = try JSONValue.parse(text).decode(ProductOfferingQualificationCreate.self)
            #expect(fromTree == fromText, "\(name)")
        }
    }

    private static func finding<T: Decodable>(_ type: T.Type, text: Data, tree: JSONValue) -> (String, String)? {
        func described(_ body: () throws -> Void) -> (String, String)? {
            do {
                try body()
                return nil
            } catch let error as DecodingError {
                let finding = ValidationFinding(schemaViolation: error)
                return (finding.path, finding.message)
            } catch {
                return ("?", "\(error)")
            }
        }
        let viaText = described { _ = try JSONDecoder().decode(T.self, from: text) }
        let viaTree = described { _ = try tree.decode(T.self) }
        #expect(
            viaTree?.0 == viaText?.0 && viaTree?.1 == viaText?.1,
            "tree \(String(describing: viaTree)), text \(String(describing: viaText))")
        return viaTree
    }

    @Test(
        "a missing member, a wrong type, a null and a bad enum value fail alike; an integer that does not fit fails at its field"
    )
    func errorsAlike() throws {
        let base = try Fixtures.json("ce_Use_Case_2a_POQ_-_new_EPL,_new_UNIs.json")
        let broken: [JSONValue] = [
            base.replacing(["productOfferingQualificationItem"], with: nil),
            base.replacing(["productOfferingQualificationItem", "0", "action"], with: 7),
            base.replacing(["productOfferingQualificationItem", "0", "action"], with: .null),
            base.replacing(["productOfferingQualificationItem", "0", "action"], with: "rename"),
            base.replacing(["relatedContactInformation"], with: ["name": "not an array"]),
            base.replacing(["productOfferingQualificationItem", "0", "id"], with: ["nested": true]),
        ]
        var failures = 0
        for tree in broken {
            if Self.finding(ProductOfferingQualificationCreate.self, text: tree.canonicalData, tree: tree) != nil {
                failures += 1
            }
        }
        #expect(failures == broken.count)
        // Integers: a fraction or a number beyond the type fails both ways; the tree names the field where
        // JSONDecoder only says the data is not valid JSON. A whole number written as 5.0 fits.
        struct Counted: Decodable, Equatable { let count: Int }
        for value in [JSONValue.number(1.5), .number(1e19)] {
            let tree: JSONValue = ["count": value]
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(Counted.self, from: tree.canonicalData) }
            #expect {
                try tree.decode(Counted.self)
            } throws: { error in
                guard case DecodingError.dataCorrupted(let context) = error else { return false }
                return context.codingPath.map(\.stringValue) == ["count"]
            }
        }
        #expect(try (["count": 5.0] as JSONValue).decode(Counted.self) == Counted(count: 5))
    }
}
