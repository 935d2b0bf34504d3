import Foundation
import Ledger

/// Where a node will send requests on a caller's say-so: hub callbacks and `X-SCBroker-Reply-To` addresses.
///
/// A node signs everything it sends, so an address a caller could choose freely would make it a confused deputy:
/// signed POSTs to any host, port and path. An address is accepted only when it is a plain `http`/`https` base
/// URL — no user info, query or fragment, so the path the node appends stays the path — on the origin (scheme,
/// host, port) of the caller's own configured peer URL or of one of the peer's configured `callbacks`.
public struct OutboundTargets: Sendable {
    /// An address refused, with why (for the MEF error body and the log).
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    private struct Origin: Hashable {
        let scheme: String
        let host: String
        let port: Int
    }

    private let origins: [PartyID: Set<Origin>]

    /// The allowed origins of every peer: its `url` and its `callbacks`.
    public init(peers: [NodeConfiguration.Peer]) {
        var origins: [PartyID: Set<Origin>] = [:]
        for peer in peers {
            for url in [peer.url].compactMap({ $0 }) + peer.callbacks {
                if let origin = try? Self.parse(url).origin { origins[peer.id, default: []].insert(origin) }
            }
        }
        self.origins = origins
    }

    /// Checks that `url` may receive this node's signed requests for `party`; returns it without a trailing slash.
    public func check(_ url: String, for party: PartyID) -> Result<String, Refusal> {
        let parsed: (origin: Origin, base: String)
        do {
            parsed = try Self.parse(url)
        } catch {
            return .failure(error)
        }
        guard origins[party]?.contains(parsed.origin) == true else {
            return .failure(
                Refusal(
                    reason: "'\(url)' is not on the origin of \(party)'s configured url or callbacks (peers[].url, "
                        + "peers[].callbacks)"))
        }
        return .success(parsed.base)
    }

    private static func parse(_ url: String) throws(Refusal) -> (origin: Origin, base: String) {
        guard url.utf8.count <= 2_048, let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host?.lowercased(), !host.isEmpty
        else { throw Refusal(reason: "'\(url.prefix(200))' is not an absolute http(s) URL") }
        guard components.user == nil, components.password == nil, components.query == nil,
            components.fragment == nil, !url.contains("?"), !url.contains("#")
        else { throw Refusal(reason: "'\(url.prefix(200))' must be a base URL without user info, query or fragment") }
        guard !components.path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            throw Refusal(reason: "'\(url.prefix(200))' must not hold dot segments")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return (Origin(scheme: scheme, host: host, port: port), base)
    }
}
