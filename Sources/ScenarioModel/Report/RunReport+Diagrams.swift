import Foundation
import Ledger
import SupplyChain

/// The report's inline SVG drawings: the topology, a demand's message sequence and a service's timeline.
extension RunReport {
    /// The most messages one sequence diagram draws; a longer exchange is cut with a note.
    static let sequenceLimit = 300

    // MARK: - Topology

    /// Retail buyers in the first column, then each provider in the column of its shortest distance from a buyer;
    /// an arrow from each buyer to each seller it may buy from.
    var topologySVG: String {
        let buyers = Array(Set(plan.demands.map(\.buyer))).sorted()
        var edges: [(PartyID, PartyID)] = []
        var seen: Set<[PartyID]> = []
        for demand in plan.demands where seen.insert([demand.buyer, demand.seller]).inserted {
            edges.append((demand.buyer, demand.seller))
        }
        for provider in plan.providers {
            for seller in provider.bbus.sellers where seen.insert([provider.party, seller]).inserted {
                edges.append((provider.party, seller))
            }
        }
        var level: [PartyID: Int] = [:]
        for buyer in buyers { level[buyer] = 0 }
        var frontier = buyers
        while !frontier.isEmpty {
            var next: [PartyID] = []
            for party in frontier {
                for (from, to) in edges where from == party && level[to] == nil {
                    level[to] = level[party]! + 1
                    next.append(to)
                }
            }
            frontier = next
        }
        let deepest = level.values.max() ?? 0
        for provider in plan.providers where level[provider.party] == nil { level[provider.party] = deepest + 1 }
        let providers = Set(plan.providers.map(\.party))
        var columns: [Int: [PartyID]] = [:]
        for party in buyers + plan.providers.map(\.party) where !(columns[level[party]!]?.contains(party) ?? false) {
            columns[level[party]!, default: []].append(party)
        }
        let (boxWidth, boxHeight, columnGap, rowGap) = (130.0, 34.0, 190.0, 54.0)
        var position: [PartyID: (x: Double, y: Double)] = [:]
        for (column, parties) in columns {
            for (row, party) in parties.enumerated() {
                position[party] = (20 + Double(column) * columnGap, 20 + Double(row) * rowGap)
            }
        }
        let width = 40 + Double((columns.keys.max() ?? 0)) * columnGap + boxWidth
        let height = 40 + Double((columns.values.map(\.count).max() ?? 1) - 1) * rowGap + boxHeight
        var svg = """
            <svg id="topology-svg" class="topology" xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" \
            height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="topology">
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" \
            orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6675"/></marker></defs>

            """
        for (from, to) in edges {
            guard let a = position[from], let b = position[to] else { continue }
            let (x1, y1) = (a.x + boxWidth, a.y + boxHeight / 2)
            let (x2, y2) =
                b.x > a.x ? (b.x, b.y + boxHeight / 2) : (b.x + boxWidth / 2, b.y + (b.y > a.y ? 0 : boxHeight))
            svg +=
                "<line class=\"sells-to\" data-buyer=\"\(Self.escape(from.rawValue))\" data-seller=\"\(Self.escape(to.rawValue))\" "
                + "x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"#5b6675\" stroke-width=\"1.5\" "
                + "marker-end=\"url(#arrow)\"/>\n"
        }
        for (party, point) in position.sorted(by: { $0.key < $1.key }) {
            let isProvider = providers.contains(party)
            let silent = plan.behaviours[party]?.silent == true
            let fill = isProvider ? (silent ? "#fde2e1" : "#dbe7fb") : "#e3f4e8"
            svg +=
                "<g class=\"party \(isProvider ? "provider" : "buyer")\" data-party=\"\(Self.escape(party.rawValue))\">"
                + "<rect x=\"\(point.x)\" y=\"\(point.y)\" width=\"\(boxWidth)\" height=\"\(boxHeight)\" rx=\"6\" "
                + "fill=\"\(fill)\" stroke=\"#2d4a7a\"/>"
                + "<text x=\"\(point.x + boxWidth / 2)\" y=\"\(point.y + 22)\" text-anchor=\"middle\" "
                + "font-size=\"13\">\(Self.escape(party.rawValue))\(silent ? " (silent)" : "")</text></g>\n"
        }
        return svg + "</svg>\n"
    }

    // MARK: - Sequence

    /// A demand's exchange: the messages the simulator delivered, or for a live run the requests and answers
    /// along each item's path as far as the outcome tells.
    func sequence(of demand: SimulationResult.DemandOutcome) -> (messages: [MessageTrace], derived: Bool) {
        if let messages = result.messages[demand.id], !messages.isEmpty { return (messages, false) }
        var messages: [MessageTrace] = []
        var seen: Set<[String]> = []
        let request = MessageTrace(
            sentAt: demand.sentAt, at: demand.sentAt, from: demand.buyer, to: demand.seller, kind: "request",
            detail: demand.kind, unanswered: false)
        messages.append(request)
        var answers: [MessageTrace] = []
        for item in demand.items {
            for (from, to) in zip(item.path, item.path.dropFirst()) where seen.insert([from, to]).inserted {
                messages.append(
                    MessageTrace(
                        sentAt: "", at: "", from: from, to: to, kind: "request", detail: item.id, unanswered: false))
                answers.insert(
                    MessageTrace(
                        sentAt: "", at: "", from: to, to: from, kind: "response", detail: item.id, unanswered: false),
                    at: 0)
            }
        }
        messages += answers
        if let state = demand.state {
            let price = demand.totalPrice.map { String(format: " %.2f %@", $0, demand.currency ?? "") } ?? ""
            messages.append(
                MessageTrace(
                    sentAt: demand.answeredAt ?? "", at: demand.answeredAt ?? "", from: demand.seller,
                    to: demand.buyer, kind: "response", detail: state + price, unanswered: false))
        }
        return (messages, true)
    }

    func sequenceSVG(_ demand: SimulationResult.DemandOutcome) -> String {
        let (all, derived) = sequence(of: demand)
        let messages = Array(all.prefix(Self.sequenceLimit))
        var participants: [String] = [demand.buyer]
        for message in messages {
            for party in [message.from, message.to] where !participants.contains(party) { participants.append(party) }
        }
        var chosen: Set<[String]> = []
        for item in demand.items {
            let path = [demand.buyer] + item.path
            for (a, b) in zip(path, path.dropFirst()) { chosen.formUnion([[a, b], [b, a]]) }
        }
        let (columnGap, rowGap, top) = (150.0, 26.0, 44.0)
        let x = { (party: String) in 70 + Double(participants.firstIndex(of: party) ?? 0) * columnGap }
        let width = 140 + Double(participants.count - 1) * columnGap + 200
        let height = top + Double(messages.count) * rowGap + 20
        var svg = """
            <svg class="sequence" xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="message sequence of \(Self.escape(demand.id))">
            <defs><marker id="seq-\(Self.anchor(demand.id))" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" \
            markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6675"/></marker></defs>

            """
        for party in participants {
            svg +=
                "<g class=\"lifeline\" data-party=\"\(Self.escape(party))\"><rect x=\"\(x(party) - 60)\" y=\"6\" "
                + "width=\"120\" height=\"24\" rx=\"4\" fill=\"#eef2f8\" stroke=\"#2d4a7a\"/>"
                + "<text x=\"\(x(party))\" y=\"23\" text-anchor=\"middle\" font-size=\"12\">\(Self.escape(party))</text>"
                + "<line x1=\"\(x(party))\" y1=\"30\" x2=\"\(x(party))\" y2=\"\(height - 6)\" stroke=\"#b8c2d0\" "
                + "stroke-dasharray=\"4 3\"/></g>\n"
        }
        for (index, message) in messages.enumerated() {
            let y = top + Double(index) * rowGap + 10
            let (x1, x2) = (x(message.from), x(message.to))
            let onPath = chosen.contains([message.from, message.to])
            let colour = message.unanswered ? "#b42318" : onPath ? "#2d6cdf" : "#5b6675"
            let label =
                message.kind + (message.detail.isEmpty ? "" : " " + message.detail)
                + (message.unanswered ? " ✕ silence: never answered" : "")
            let classes =
                "message \(message.kind.replacingOccurrences(of: " ", with: "-"))"
                + (message.unanswered ? " unanswered" : "") + (onPath ? " chosen" : "")
            svg +=
                "<g class=\"\(classes)\"><title>\(Self.escape(message.from)) → \(Self.escape(message.to)) "
                + "sent \(Self.escape(message.sentAt)), delivered \(Self.escape(message.at))</title>"
                + "<line x1=\"\(x1)\" y1=\"\(y)\" x2=\"\(x2)\" y2=\"\(y)\" stroke=\"\(colour)\" "
                + "stroke-width=\"\(onPath ? 2 : 1.2)\"\(message.unanswered ? " stroke-dasharray=\"5 3\"" : "") "
                + "marker-end=\"url(#seq-\(Self.anchor(demand.id)))\"/>"
                + "<text x=\"\(min(x1, x2) + 6)\" y=\"\(y - 4)\" font-size=\"11\" fill=\"\(colour)\">"
                + "\(Self.escape(label))</text>"
                + "<text x=\"\(width - 8)\" y=\"\(y + 4)\" font-size=\"10\" fill=\"#5b6675\" text-anchor=\"end\">"
                + "\(Self.escape(message.at))</text></g>\n"
        }
        svg += "</svg>\n"
        if derived {
            svg += "<p class=\"note\">Drawn from the items' paths: a live run keeps no per-message record.</p>\n"
        }
        if all.count > messages.count {
            svg += "<p class=\"note\">The first \(messages.count) of \(all.count) messages.</p>\n"
        }
        return svg
    }

    // MARK: - Timeline

    func timelineSVG(_ events: [(kind: String, text: String)]) -> String {
        let colours = [
            "acceptance": "#2d6cdf", "activation": "#177245", "change": "#8a5cf6", "term": "#0e7490",
            "renewal": "#0e7490", "outage": "#b42318", "ticket": "#c2410c", "report": "#4d7c0f", "invoice": "#7c2d12",
        ]
        let rowGap = 24.0
        let height = 20 + Double(events.count) * rowGap
        var svg = """
            <svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="900" height="\(Int(height))" \
            viewBox="0 0 900 \(Int(height))" role="img" aria-label="service timeline">
            <line x1="20" y1="8" x2="20" y2="\(Int(height) - 6)" stroke="#b8c2d0" stroke-width="2"/>

            """
        for (index, event) in events.enumerated() {
            let y = 18 + Double(index) * rowGap
            let colour = colours[event.kind] ?? "#5b6675"
            svg +=
                "<g class=\"event \(event.kind)\"><circle cx=\"20\" cy=\"\(y)\" r=\"6\" fill=\"\(colour)\"/>"
                + "<text x=\"34\" y=\"\(y + 4)\" font-size=\"12\"><tspan font-weight=\"bold\" fill=\"\(colour)\">"
                + "\(event.kind)</tspan> \(Self.escape(event.text))</text></g>\n"
        }
        return svg + "</svg>\n"
    }
}
