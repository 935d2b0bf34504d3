import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

/// The run report (`broker simulate --report`) loaded in a real browser: headless Chromium renders the file, the
/// rendered DOM holds one section per demand, per service and per ledger and the topology with every provider,
/// and a screenshot of it is not blank. CI installs Chromium (`scripts/install-system-packages`); without it these
/// tests fail, they do not skip.
struct RunReportBrowserTests {
    /// `chromium` on the PATH, or nil.
    static var chromium: String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs Chromium headless with `arguments`; returns its standard output.
    static func runChromium(_ chromium: String, _ arguments: [String], profile: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments =
            ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--hide-scrollbars"]
            + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// How many times `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test(arguments: ["order-delivery", "silent-seller"])
    func reportRendersInChromium(scenario name: String) throws {
        guard let chromium = Self.chromium else {
            Issue.record(
                "chromium is not installed: the run report is checked in a real browser; install it with scripts/install-system-packages (apt-get install chromium)"
            )
            return
        }
        let (scenario, directory) = try ScenarioLoader.load(name)
        let plan = try SimulationPlan(scenario, directory: directory)
        let simulator = try Simulator(plan: plan)
        let result = try simulator.run()
        let html = RunReport(plan: plan, result: result, ledgers: try simulator.ledgerCopies(), driver: "simulated")
            .html
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"))

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("run.html")
        try Data(html.utf8).write(to: file)

        let dom = try Self.runChromium(
            chromium, ["--dump-dom", file.absoluteString], profile: work.appendingPathComponent("profile"))
        try #require(dom.contains("<body>"), "chromium rendered no document")
        #expect(Self.count("<section class=\"demand\"", in: dom) == result.demands.count)
        for demand in result.demands {
            #expect(dom.contains("data-demand=\"\(demand.id)\""))
        }
        let services = result.demands.compactMap { $0.order?.serviceID }
        #expect(Self.count("<section class=\"service\"", in: dom) == services.count)
        for service in services { #expect(dom.contains("data-service=\"\(service)\"")) }
        #expect(Self.count("<section class=\"ledger\"", in: dom) == result.ledgers.count)
        for ledger in result.ledgers { #expect(dom.contains("data-ledger=\"\(ledger.ledgerID)\"")) }
        #expect(Self.count("<tr class=\"entry\">", in: dom) == result.ledgers.reduce(0) { $0 + Int($1.entries) })
        let topology = try #require(
            dom.range(of: "<svg id=\"topology-svg\"").map { String(dom[$0.lowerBound...].prefix { _ in true }) })
        let svg = String(topology[..<(topology.range(of: "</svg>")?.upperBound ?? topology.endIndex)])
        for provider in plan.providers {
            #expect(svg.contains("<g class=\"party provider\" data-party=\"\(provider.party.rawValue)\""))
        }
        #expect(Self.count("<svg class=\"sequence\"", in: dom) == result.demands.count)
        #expect(dom.contains("id=\"audit-result\""))
        if name == "silent-seller" {
            #expect(dom.contains("class=\"message request unanswered"), "the silence is drawn")
        } else {
            #expect(Self.count("class=\"event activation\"", in: dom) >= 1)
            #expect(Self.count("class=\"event renewal\"", in: dom) >= 1)
        }

        // The screenshot is a real PNG of the page, much larger than the same window's blank page.
        let shot = work.appendingPathComponent("run.png")
        let blank = work.appendingPathComponent("blank.html")
        let blankShot = work.appendingPathComponent("blank.png")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blank)
        for (page, png) in [(file, shot), (blank, blankShot)] {
            _ = try Self.runChromium(
                chromium, ["--window-size=1200,1600", "--screenshot=\(png.path)", page.absoluteString],
                profile: work.appendingPathComponent("profile"))
        }
        let image = try Data(contentsOf: shot)
        let blankImage = try Data(contentsOf: blankShot)
        #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
        let width = image[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = image[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width >= 1000 && height >= 1000)
        #expect(Set(image.dropFirst(64)).count > 200, "compressed pixels of more than one colour")
        #expect(
            image.count > 20_000 && image.count > 4 * blankImage.count, "\(image.count) vs blank \(blankImage.count)")
    }
}
