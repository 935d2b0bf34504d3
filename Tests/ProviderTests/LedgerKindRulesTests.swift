import Ledger
import SupplyChain
import Testing

/// The kinds the roles write and the kinds a countersigner and the auditor accept are one list (LEDGER.md §10).
struct LedgerKindRulesTests {
    @Test("every kind a role writes is one the entry rules know, with internal kinds kept off trading ledgers")
    func kindsAgree() {
        let written = Set(LedgerKind.allCases.map(\.rawValue))
        let known = Set(EntryRules.broker.kinds.keys)
        #expect(written.subtracting(known).sorted() == [])
        #expect(known.subtracting(written).sorted() == [])
        for kind in LedgerKind.allCases {
            #expect(EntryRules.isWellFormed(kind: kind.rawValue), "\(kind.rawValue)")
            let isInternal =
                kind.rawValue.hasPrefix("sof.") || kind.rawValue.hasPrefix("sco.") || kind == .orderDecomposed
            #expect((EntryRules.broker.kinds[kind.rawValue] == .internalOnly) == isInternal, "\(kind.rawValue)")
        }
    }
}
