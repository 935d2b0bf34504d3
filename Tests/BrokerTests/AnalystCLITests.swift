import Foundation
import Testing

/// `broker generate` and `broker simulate --runs` as an analyst uses them.
struct AnalystCLITests {
    typealias CLI = BrokerCLITests

    @Test("broker generate: same options and seed, same bytes (wherever written); another seed, another file")
    func generateIsSeeded() async throws {
        let directory = CLI.temporary("generate")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.yaml")
        let second = directory.appendingPathComponent("b.yaml")
        for file in [first, second] {
            let run = try await CLI.broker(
                "generate", "--tiers", "2,3,3", "--demands", "3", "--seed", "5", "-o", file.path)
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        let other = try await CLI.broker("generate", "--tiers", "2,3,3", "--demands", "3", "--seed", "6")
        let written = try Data(contentsOf: first)
        #expect(!other.stdout.isEmpty && Data(other.stdout.utf8) != written)
        // The file passes `broker simulate`.
        let simulated = try await CLI.broker("simulate", first.path)
        #expect(simulated.status == 0, "\(simulated.stderr)")
        #expect(simulated.stdout.contains("audit: every copy clean"))
    }

    @Test("broker generate refuses a bad option with its name, exit 2")
    func generateBadOption() async throws {
        let run = try await CLI.broker("generate", "--tiers", "10,x")
        #expect(run.status == 2)
        #expect(run.stderr.contains("--tiers: '10,x' is not a list of tier sizes"))
        let delay = try await CLI.broker("generate", "--slow-tier", "1", "--slow-delay", "gaussian:3s")
        #expect(delay.status == 2)
        #expect(delay.stderr.contains("--slow-delay"))
    }

    @Test("broker simulate --runs writes one CSV row per run and demand, and the same figures as JSON")
    func runsCSVAndJSON() async throws {
        let directory = CLI.temporary("runs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await CLI.broker(
            "simulate", "silent-seller", "--runs", "3", "--seed", "4", "--csv", directory.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("scenario silent-seller: 3 runs (seeds 4-6), 2 demands each"))
        let lines = try String(contentsOf: directory.appendingPathComponent("runs.csv"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 1 + 3 * 2)
        #expect(
            lines[0]
                == "run,seed,demand,kind,state,confidence,answer_ms,window_ms,ready_green_in_window,price,hops,requests,ledger_entries"
        )
        // HUB waits for the silent MUTE until its window closes (10m less its 1s processing time, plus the 20ms
        // latency back), then answers through SLOWPOKE (100 + 50 % + 10 %) or, for Lisbon, red without a price.
        // Three requests each (HUB, MUTE, SLOWPOKE: the silent one counts, it was sent one).
        #expect(lines[1] == "0,4,madrid,inquiry,READY,green,599020,600000,1,165.00,2,3,9")
        #expect(lines[2] == "0,4,lisbon,inquiry,READY,red,599020,600000,0,,1,3,9")
        let demands = try String(contentsOf: directory.appendingPathComponent("demands.csv"), encoding: .utf8)
            .split(separator: "\n")
        #expect(demands.count == 1 + 2 + 1)
        #expect(demands[3].hasPrefix("all,6,6,3,0.5000,"))

        let json = try await CLI.broker("simulate", "silent-seller", "--runs", "3", "--seed", "4", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["rows"] as? [[String: Any]])?.count == 6)
        #expect((document["demands"] as? [[String: Any]])?.map { $0["demand"] as? String } == ["madrid", "lisbon"])
        let overall = try #require(document["overall"] as? [String: Any])
        #expect(overall["readyGreenInWindow"] as? Int == 3)
        #expect(document["runs"] as? Int == 3)
    }

    @Test("broker simulate --runs refuses what it cannot do, exit 2")
    func runsBadOptions() async throws {
        let zero = try await CLI.broker("simulate", "diamond", "--runs", "0")
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--runs"))
        let out = try await CLI.broker("simulate", "diamond", "--runs", "2", "--out", "/tmp/x")
        #expect(out.status == 2)
        let csv = try await CLI.broker("simulate", "diamond", "--csv", "/tmp/x")
        #expect(csv.status == 2)
    }
}
