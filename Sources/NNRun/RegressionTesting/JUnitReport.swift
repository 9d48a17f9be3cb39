import NNSpec

/// `nnspec test --junit FILE`: the results as JUnit XML, the format CI systems (Jenkins, GitLab,
/// GitHub Actions' reporters) read. One `testsuite` named "nnspec test"; one `testcase` per spec,
/// named by its path, with a `failure` holding every unmet expectation ("path:line: message"
/// lines), or `skipped` when its after-training expectations were not checked (`--no-train`).
public enum JUnitReport {
    /// The comment every report starts with; `GeneratedFile` replaces only files that carry it.
    public static let marker = "<!-- JUnit report written by nnspec test -->"

    public static func xml(_ results: [SpecTestResult]) -> String {
        let failed = results.filter { !$0.passed }.count
        let skipped = results.filter { $0.passed && $0.trainingSkipped }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(marker)\n"
        xml += "<testsuites name=\"nnspec test\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"\(skipped)\">\n"
        xml += "  <testsuite name=\"nnspec test\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"\(skipped)\">\n"
        for result in results {
            let opening = "    <testcase classname=\"nnspec\" name=\(XMLText.attribute(result.path)) file=\(XMLText.attribute(result.path))"
            if let first = result.failures.first {
                let lines = result.failures.map { failure in failure.line.map { "\(result.path):\($0): " } ?? "\(result.path): " }
                let body = zip(lines, result.failures).map { $0 + $1.message }.joined(separator: "\n")
                xml += opening + ">\n      <failure message=\(XMLText.attribute(first.message)) type=\"expectation\">\(XMLText.escaped(body))</failure>\n    </testcase>\n"
            } else if result.trainingSkipped {
                xml += opening + ">\n      <skipped message=\"after-training expectations not checked (--no-train)\"/>\n    </testcase>\n"
            } else {
                xml += opening + "/>\n"
            }
        }
        return xml + "  </testsuite>\n</testsuites>\n"
    }
}
