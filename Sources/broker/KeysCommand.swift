import ArgumentParser
import Foundation
import Ledger

/// `broker keys`: a party's Ed25519 key pair on disk.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and inspect a party's Ed25519 key file.",
        discussion: """
            A key file is JSON {"party", "publicKey", "privateKey"} (raw 32-byte keys, base64), created with \
            permissions 0600 and never overwritten. No command ever prints the private key.

            Example:
              broker keys generate --party acme-wholesale --out acme.key
              broker keys show acme.key

            Exit codes: 0 ok, 2 bad input (unreadable file, existing output, invalid party id).
            """,
        subcommands: [Generate.self, Show.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new random key file (mode 0600) and print only the public key.",
            discussion:
                "Example: broker keys generate --party acme-wholesale --out acme.key\nExit codes: 0 ok, 2 bad input."
        )

        @Option(help: "The party id (1-128 characters, no spaces or '+').") var party: String
        @Option(help: "The key file to create; an existing file is never overwritten.") var out: String

        func run() throws {
            let party = PartyID(party)
            guard party.isValid else { fail("invalid party id \"\(party)\": 1-128 characters, no spaces or '+'") }
            let key = PartyKey(party: party)
            do {
                try KeyFile(key: key).write(to: out)
            } catch {
                fail("\(error)")
            }
            print("\(party) \(key.publicKey.base64EncodedString())")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a key file's party and public key (base64 and hex), never the private key.",
            discussion: "Example: broker keys show acme.key\nExit codes: 0 ok, 2 unreadable or malformed file."
        )

        @Argument(help: "The key file.") var file: String

        func run() throws {
            do {
                let key = try KeyFile.read(from: file).partyKey()
                print("party \(key.party)")
                print("public-key \(key.publicKey.base64EncodedString())")
                print("public-key-hex \(key.publicKey.hexString)")
            } catch {
                fail("\(error)")
            }
        }
    }
}

/// Prints `message` to standard error and exits with code 2 (bad input).
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("broker: \(message)\n".utf8))
    Foundation.exit(2)
}
