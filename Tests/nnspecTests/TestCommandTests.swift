import Foundation
import Testing

/// `nnspec test` as a whole process, on the regression runner's fixtures: its whole output and
/// exit status.
@Suite struct TestCommandTests {
    /// Tests/NNRunTests/Fixtures/Regression: specs that must fail (fail/) and pass (pass/).
    static let runnerFixtures = NNSpecBinary.repositoryRoot.appending(path: "Tests/NNRunTests/Fixtures/Regression")

    private func nnspec(_ arguments: String...) throws -> NNSpecBinary.Run {
        try NNSpecBinary.run(arguments, in: Self.runnerFixtures)
    }

    @Test func failingSpecsAreListedWithTheirFailuresThenCounted() throws {
        let run = try nnspec("test", "fail", "pass", "--filter", "error|parameter|wrong-line")
        #expect(run.status == 1)
        #expect(run.standardOutput == """
            FAIL fail/annotation-on-wrong-line.yaml
              fail/annotation-on-wrong-line.yaml:2: expected an error containing "in_features 5" at line 2, but it was reported at line 4: fc expects in_features 5 but receives 4 from input
            FAIL fail/extra-unexpected-error.yaml
              fail/extra-unexpected-error.yaml:5: expected no error at line 5 (it has no # expect-error: annotation), but saw: out expects in_features 4 but receives 3 from fc
            FAIL fail/missing-expected-error.yaml
              fail/missing-expected-error.yaml:5: expected an error containing "out_features" at line 5, but no error was reported at line 5
            FAIL fail/wrong-parameter-count.yaml
              fail/wrong-parameter-count.yaml:6: expected 12 parameters but the network has 15
            PASS pass/two-errors-one-line.yaml
            1 passed, 4 failed

            """)
        let parallel = try nnspec("test", "--jobs", "3", "fail", "pass", "--filter", "error|parameter|wrong-line")
        #expect(parallel.standardOutput == run.standardOutput)
    }

    @Test func passingSpecsExitZeroAndJSONCountsThem() throws {
        let run = try nnspec("test", "pass/two-errors-one-line.yaml")
        #expect(run.status == 0)
        #expect(run.standardOutput == "PASS pass/two-errors-one-line.yaml\n1 passed, 0 failed\n")
        let json = try nnspec("test", "--format", "json", "pass/two-errors-one-line.yaml", "fail/wrong-parameter-count.yaml")
        #expect(json.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Int == 1)
        #expect(object?["failed"] as? Int == 1)
    }

    @Test func withoutTrainingTrainedSpecsAreMarked() throws {
        let run = try nnspec("test", "--no-train", "training/thresholds.yaml")
        #expect(run.status == 0)
        #expect(run.standardOutput == "PASS training/thresholds.yaml (not trained)\n1 passed, 0 failed\n")
    }

    @Test func nothingFoundFailsSayingSo() throws {
        let run = try nnspec("test", "pass", "--filter", "no-such-spec")
        #expect(run.status == 1)
        #expect(run.standardOutput == "0 passed, 0 failed\n")
        #expect(run.standardError == "error: no spec found below pass matching no-such-spec\n")
        let missing = try nnspec("test", "no-such-folder")
        #expect(missing.status == 1)
        #expect(missing.standardError == "error: no such file or folder: no-such-folder\n")
    }

    @Test func aBadFilterIsAUsageError() throws {
        let run = try nnspec("test", "pass", "--filter", "(")
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("Error: --filter '(' is not a regular expression"))
        #expect(run.standardOutput.isEmpty)
    }
}
