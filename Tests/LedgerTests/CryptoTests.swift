import CanonicalJSON
import Crypto
import Foundation
import Testing

@testable import Ledger

@Suite("Ed25519, ids and the entry encoding")
struct CryptoTests {
    /// RFC 8032 §7.1 TEST 1-3: secret key, public key, message, signature.
    static let vectors: [(String, String, String, String)] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ]

    @Test("RFC 8032 test vectors 1-3: deterministic signatures equal the published ones", arguments: 0..<3)
    func rfc8032(index: Int) throws {
        let (secret, publicKey, message, signature) = Self.vectors[index]
        let key = try PartyKey(party: "rfc", seed: try #require(Data(hexString: secret)))
        #expect(key.publicKey.hexString == publicKey)
        let messageBytes = try #require(Data(hexString: message))
        #expect(try key.sign(messageBytes).hexString == signature)
        #expect(try key.sign(messageBytes) == key.sign(messageBytes))
        #expect(
            Ed25519.verify(
                signature: try #require(Data(hexString: signature)), of: messageBytes, publicKey: key.publicKey))
        #expect(!Ed25519.verify(signature: try key.sign(Data("x".utf8)), of: messageBytes, publicKey: key.publicKey))
    }

    @Test("the ledger id is order-independent and bound to both parties and the nonce")
    func ledgerIDDerivation() {
        let nonce = Data("n1".utf8)
        let forward = LedgerID.derive(between: "alice", and: "bob", genesisNonce: nonce)
        #expect(forward == LedgerID.derive(between: "bob", and: "alice", genesisNonce: nonce))
        #expect(forward != LedgerID.derive(between: "alice", and: "bob", genesisNonce: Data("n2".utf8)))
        #expect(forward != LedgerID.derive(between: "alice", and: "carol", genesisNonce: nonce))
        let text = "scbroker-ledger-v1\nparty-a:alice\nparty-b:bob\nnonce:6e31\n"
        #expect(forward.rawValue == Data(SHA256.hash(data: Data(text.utf8))).hexString)
        #expect(forward.isWellFormed)
    }

    @Test("the entry hash is SHA-256 of the documented text, and signatures sign its 32 bytes")
    func entryEncoding() throws {
        let key = try PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
        let id = LedgerID.derive(between: "alice", and: "bob", genesisNonce: Data("n".utf8))
        let body: JSONValue = ["b": 2, "a": "x"]
        let entry = try LedgerEntry.signed(
            by: key, ledgerID: id, seq: 1, prevHash: LedgerEntry.genesisPrevHash, time: 1_700_000_000_123,
            kind: "poq.request", refs: ["poq": "p-1", "order": "o-9"], body: body)
        let bodyHash = Data(SHA256.hash(data: Data(#"{"a":"x","b":2}"#.utf8))).hexString
        let text = """
            scbroker-entry-v1
            ledger:\(id.rawValue)
            seq:1
            prev:\(LedgerEntry.genesisPrevHash)
            time:1700000000123
            author:alice
            kind:poq.request
            refs:{"order":"o-9","poq":"p-1"}
            body-sha256:\(bodyHash)

            """
        #expect(entry.entryHash == Data(SHA256.hash(data: Data(text.utf8))).hexString)
        #expect(entry.computeHash().hexString == entry.entryHash)
        #expect(
            Ed25519.verify(
                signature: entry.authorSignature, of: try #require(entry.entryHashBytes), publicKey: key.publicKey))
        #expect(!entry.isAgreed)
    }

    @Test("party ids and kinds that could break the line encoding are refused")
    func invalidFields() throws {
        #expect(!PartyID("two words").isValid)
        #expect(!PartyID("a+b").isValid)
        #expect(!PartyID("").isValid)
        #expect(PartyID("acme-wholesale").isValid)
        let key = try PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
        let id = LedgerID.derive(between: "alice", and: "bob", genesisNonce: Data())
        #expect(throws: LedgerError.self) {
            try LedgerEntry.signed(
                by: key, ledgerID: id, seq: 1, prevHash: LedgerEntry.genesisPrevHash, time: 0, kind: "a\nseq:9",
                refs: [:], body: .null)
        }
        #expect(throws: LedgerError.self) {
            try LedgerHeader("a b", publicKey: key.publicKey, "bob", publicKey: key.publicKey, genesisNonce: Data())
        }
    }

    @Test("a key file is written 0600, prints no private key, and reads back the same identity")
    func keyFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString).json").path
        let key = try PartyKey(party: "alice", seed: Data(repeating: 5, count: 32))
        try KeyFile(key: key).write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let read = try KeyFile.read(from: path).partyKey()
        #expect(read.publicKey == key.publicKey)
        #expect(read.party == "alice")
        #expect(throws: LedgerError.self) { try KeyFile(key: key).write(to: path) }
        var directory = try KeyDirectory(parsing: "# trusted\nalice \(key.publicKey.base64EncodedString())\n")
        #expect(directory.publicKey(for: "alice") == key.publicKey)
        directory = try KeyDirectory(parsing: directory.text)
        #expect(directory.publicKey(for: "alice") == key.publicKey)
    }
}
