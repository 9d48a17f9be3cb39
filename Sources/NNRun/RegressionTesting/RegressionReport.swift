import Foundation
import NNSpec

/// How `nnspec test` shows results: text for people, JSON for machines.
public enum RegressionReport {
    /// "PASS path" or "FAIL path" (with "(not trained)" when the training expectations were
    /// skipped), then each failure as "  path:line: message" and each golden change as "  golden: recorded …".
    public static func text(_ result: SpecTestResult) -> String {
        var text = "\(result.passed ? "PASS" : "FAIL") \(result.path)\(result.trainingSkipped ? " (not trained)" : "")\n"
        for failure in result.failures {
            let place = failure.line.map { "\(result.path):\($0)" } ?? result.path
            text += "  \(place): \(failure.message)\n"
        }
        for change in result.goldenChanges {
            text += "  golden: \(change)\n"
        }
        return text
    }

    /// The last line: "N passed, N failed".
    public static func summary(_ results: [SpecTestResult]) -> String {
        let passed = results.filter(\.passed).count
        return "\(passed) passed, \(results.count - passed) failed\n"
    }

    /// The `nnspec.test/1` document (docs/json-output.md), keys sorted: `{"failed": N, "format",
    /// "nnspec_version", "passed": N, "specs": [{"failures": [{"line", "message"}], "golden_changes",
    /// "passed", "path", "training_skipped"}]}`. `training_skipped` is true when the spec's
    /// after-training expectations were not checked (`--no-train`).
    public static func json(_ results: [SpecTestResult]) -> String {
        let passed = results.filter(\.passed).count
        let document = Document(format: JSONFormat.identifier("test"), nnspecVersion: ToolVersion.current,
                                specs: results.map(Entry.init), passed: passed, failed: results.count - passed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        var format: String
        var nnspecVersion: String
        var specs: [Entry]
        var passed: Int
        var failed: Int

        enum CodingKeys: String, CodingKey {
            case format, specs, passed, failed
            case nnspecVersion = "nnspec_version"
        }
    }

    private struct Entry: Encodable {
        var path: String
        var passed: Bool
        var failures: [ExpectationFailure]
        var goldenChanges: [String]
        var trainingSkipped: Bool

        init(_ result: SpecTestResult) {
            path = result.path
            passed = result.passed
            failures = result.failures
            goldenChanges = result.goldenChanges
            trainingSkipped = result.trainingSkipped
        }

        enum CodingKeys: String, CodingKey {
            case path, passed, failures
            case goldenChanges = "golden_changes"
            case trainingSkipped = "training_skipped"
        }
    }
}
