import ArgumentParser
import Foundation
import Sonata

/// `broker validate`: MEF 79.1 and Sonata schema findings for request payloads.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check MEF Sonata request payloads (POQ, quote, product order) against MEF 79.1 and the API schema.",
        discussion: """
            Prints one finding per line: file, JSON Pointer of the field, rule, message. The rule is the \
            requirement id from specs/requirements.tsv (e.g. MEF79-R11) or SONATA-SCHEMA for a violation of \
            the Sonata OpenAPI schema (missing required property, wrong type, unknown enum value, bad date). \
            The kind of payload is detected from its top-level members unless --kind is given.

            Examples:
              broker validate poq.json
              broker validate --kind quote quote-request.json
              broker validate ../shared/specs/mef-sonata/examples/*.json

            Exit codes: 0 every file is clean, 1 findings, 2 a file is unreadable, not JSON or of unknown kind.
            """
    )

    @Option(help: "The payload kind: poq, quote or order (default: detected).")
    var kind: PayloadKind?

    @Flag(help: "Print findings as JSON, one document for all files.")
    var json = false

    @Argument(help: "Payload files (JSON).")
    var files: [String]

    struct FileReport: Encodable {
        let file: String
        let kind: String?
        let findings: [ValidationFinding]
        let error: String?
    }

    func run() throws {
        var reports: [FileReport] = []
        for file in files {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                let report = try SonataValidator.validate(data, kind: kind)
                reports.append(
                    FileReport(file: file, kind: report.kind.rawValue, findings: report.findings, error: nil))
            } catch let error as SonataValidator.PayloadError {
                reports.append(FileReport(file: file, kind: nil, findings: [], error: error.message))
            } catch {
                reports.append(
                    FileReport(file: file, kind: nil, findings: [], error: "cannot read: \(error.localizedDescription)")
                )
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        } else {
            for report in reports {
                if let error = report.error {
                    FileHandle.standardError.write(Data("\(report.file): error: \(error)\n".utf8))
                } else if report.findings.isEmpty {
                    print("\(report.file): ok (\(report.kind ?? ""))")
                } else {
                    for finding in report.findings {
                        print(
                            "\(report.file)\t\(finding.path.isEmpty ? "/" : finding.path)\t\(finding.rule)\t\(finding.message)"
                        )
                    }
                }
            }
        }
        if reports.contains(where: { $0.error != nil }) { throw ExitCode(2) }
        if reports.contains(where: { !$0.findings.isEmpty }) { throw ExitCode(1) }
    }
}

extension PayloadKind: ExpressibleByArgument {}
