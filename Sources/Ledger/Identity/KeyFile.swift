import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A party's key pair on disk, as `broker keys generate` writes it.
///
/// Format: a JSON object `{"party": "...", "publicKey": "<base64>", "privateKey": "<base64>"}` (raw 32-byte
/// Ed25519 keys), created with permissions 0600 and never overwritten. Reading refuses a file that others can read.
public struct KeyFile: Codable, Sendable {
    /// Whose key it is.
    public let party: PartyID
    /// The raw 32-byte public key.
    public let publicKey: Data
    let privateKey: Data

    /// The file contents of `key`.
    public init(key: PartyKey) {
        party = key.party
        publicKey = key.publicKey
        privateKey = key.privateKeyRaw
    }

    /// The signing identity this file holds; checks that the public key matches the private one.
    public func partyKey() throws -> PartyKey {
        let key = try PartyKey(party: party, privateKeyRaw: privateKey)
        guard key.publicKey == publicKey else {
            throw LedgerError(.invalidKey, "key file's public key does not match its private key")
        }
        return key
    }

    /// Writes a new key file with mode 0600; refuses to overwrite an existing file.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(self) + Data("\n".utf8)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw LedgerError(.malformedInput, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw LedgerError(.storage, "cannot write \(path): \(error)")
        }
    }

    /// Reads a key file.
    /// - Throws: `LedgerError(.malformedInput)` when unreadable or not a key file, `.invalidKey` when the
    ///   file is readable by group or others (a private key must stay private).
    public static func read(from path: String) throws -> KeyFile {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw LedgerError(.malformedInput, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw LedgerError(.invalidKey, "\(path) is readable by others; chmod 600 it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LedgerError(.malformedInput, "cannot read \(path)")
        }
        do {
            return try JSONDecoder().decode(KeyFile.self, from: data)
        } catch {
            throw LedgerError(.malformedInput, "\(path) is not a key file (party, publicKey, privateKey)")
        }
    }
}
