import Foundation
import NNSpec
import Testing
@testable import NNRun

/// The runner on specs that must fail — each reported with what was expected and what was seen —
/// and on specs that must pass.
@Suite struct RegressionRunnerTests {
    let staticRunner = RegressionRunner(trainer: nil)

    @Test func aWrongParameterCountFailsNamingBothCounts() {
        let result = staticRunner.test(specAt: regressionFixture("fail/wrong-parameter-count.yaml"))
        #expect(!result.passed)
        #expect(failureLines(result) == ["6: expected 12 parameters but the network has 15"])
    }

    @Test func anAnnotationOnTheWrongLineFailsNamingBothLines() {
        let result = staticRunner.test(specAt: regressionFixture("fail/annotation-on-wrong-line.yaml"))
        #expect(failureLines(result) == [
            "2: expected an error containing \"in_features 5\" at line 2, but it was reported at line 4: fc expects in_features 5 but receives 4 from input",
        ])
    }

    @Test func aMissingExpectedErrorFails() {
        let result = staticRunner.test(specAt: regressionFixture("fail/missing-expected-error.yaml"))
        #expect(failureLines(result) == [
            "5: expected an error containing \"out_features\" at line 5, but no error was reported at line 5",
        ])
    }

    @Test func anExtraUnexpectedErrorFails() {
        let result = staticRunner.test(specAt: regressionFixture("fail/extra-unexpected-error.yaml"))
        #expect(failureLines(result) == [
            "5: expected no error at line 5 (it has no # expect-error: annotation), but saw: out expects in_features 4 but receives 3 from fc",
        ])
    }

    @Test func aGoldenOffByMoreThanItsToleranceFails() {
        let runner = RegressionRunner(trainer: ScriptedTrainer(losses: [1.0, 0.8, 0.6]))
        let result = runner.test(specAt: regressionFixture("fail/golden-off.yaml"))
        let golden = regressionFixture("fail/golden-off.golden.json")
        #expect(failureLines(result) == [
            "12: golden \(golden): step 3 loss expected 0.65 ± 0.01, but it is 0.6 (off by 0.05)",
            "12: golden \(golden): final loss expected 0.65 ± 0.01, but it is 0.6 (off by 0.05)",
        ])
    }

    @Test func aGoldenWithinItsTolerancePasses() {
        let runner = RegressionRunner(trainer: ScriptedTrainer(losses: [1.0, 0.8, 0.655]))
        #expect(runner.test(specAt: regressionFixture("fail/golden-off.yaml")).passed)
    }

    @Test func severalAnnotatedErrorsOnOneLinePass() {
        let result = staticRunner.test(specAt: regressionFixture("pass/two-errors-one-line.yaml"))
        #expect(result.passed, "\(failureLines(result))")
    }

    @Test func trainingExpectationsPassWhenTheRunMeetsThem() throws {
        let trainer = ScriptedTrainer(losses: [1.2, 0.9, 0.75, 0.705], testAccuracy: 0.5)
        let scratch = try ScratchDirectory()
        let spec = try scratch.write(String(contentsOfFile: regressionFixture("training/thresholds.yaml"), encoding: .utf8), to: "thresholds.yaml")
        let recorded = RegressionRunner(trainer: trainer, updatesGoldens: true).test(specAt: spec)
        #expect(recorded.passed, "\(failureLines(recorded))")
        #expect(recorded.goldenChanges == ["recorded \(scratch.path("thresholds.golden.json"))"])
        let checked = RegressionRunner(trainer: trainer).test(specAt: spec)
        #expect(checked.passed, "\(failureLines(checked))")
        #expect(checked.goldenChanges.isEmpty)
        #expect(trainer.trainedSpecs.map(\.train.steps) == [4, 4], "expect: train: steps replaces the spec's length")
    }

    @Test func trainingExpectationsFailNamingTheBoundAndTheValue() throws {
        let trainer = ScriptedTrainer(losses: [1.2, 1.1], testAccuracy: 0.25)
        let scratch = try ScratchDirectory()
        let spec = try scratch.write(String(contentsOfFile: regressionFixture("training/thresholds.yaml"), encoding: .utf8), to: "thresholds.yaml")
        let result = RegressionRunner(trainer: trainer).test(specAt: spec)
        #expect(failureLines(result) == [
            "15: expected the final loss below 1, but it is 1.1 after 2 steps",
            "19: expected the final loss 0.7 ± 0.01, but it is 1.1 after 2 steps (off by 0.4)",
            "17: expected test accuracy at least 0.5, but it is 0.25 after 2 steps",
            "18: expected the test loss below 0.8, but it is 1.1 after 2 steps",
            "20: expected the golden file \(scratch.path("thresholds.golden.json")), but it does not exist (record it with --update)",
        ])
    }

    @Test func updateRewritesAGoldenTheRunNoLongerMatches() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write(String(contentsOfFile: regressionFixture("fail/golden-off.yaml"), encoding: .utf8), to: "golden-off.yaml")
        let goldenPath = scratch.path("golden-off.golden.json")
        try FileManager.default.copyItem(atPath: regressionFixture("fail/golden-off.golden.json"), toPath: goldenPath)
        let trainer = ScriptedTrainer(losses: [1.0, 0.8, 0.6])
        let updated = RegressionRunner(trainer: trainer, updatesGoldens: true).test(specAt: spec)
        #expect(updated.passed)
        #expect(updated.goldenChanges == ["rewrote \(goldenPath) (2 differences)"])
        let rewritten = try GoldenRecord.read(from: goldenPath)
        #expect(rewritten.losses == [1.0, 0.8, 0.6])
        #expect(rewritten.weights?.map(\.name) == ["fc.weight"])
        #expect(RegressionRunner(trainer: trainer).test(specAt: spec).passed)
    }

    @Test func updateLeavesAGoldenAReferenceScriptRecorded() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write(String(contentsOfFile: regressionFixture("fail/golden-off.yaml"), encoding: .utf8), to: "golden-off.yaml")
        let golden = #"{"losses": [1.0, 0.8, 0.65], "recorded_by": "make_parity.py"}"#
        let goldenPath = try scratch.write(golden, to: "golden-off.golden.json")
        let result = RegressionRunner(trainer: ScriptedTrainer(losses: [1.0, 0.8, 0.6]), updatesGoldens: true).test(specAt: spec)
        #expect(failureLines(result) == [
            "12: golden \(goldenPath): step 3 loss expected 0.65 ± 0.01, but it is 0.6 (off by 0.05)",
            "12: expected a golden --update may rewrite, but \(goldenPath) was recorded by make_parity.py; regenerate it there",
        ])
        #expect(result.goldenChanges.isEmpty)
        #expect(try String(contentsOfFile: goldenPath, encoding: .utf8) == golden)
    }

    @Test func aFailingTrainingRunIsReportedAtTheExpectations() {
        let trainer = ScriptedTrainer(failure: RegressionError("loss became NaN at step 2")) { _ in
            TrainingRecord(losses: [], finalState: [])
        }
        let result = RegressionRunner(trainer: trainer).test(specAt: regressionFixture("fail/golden-off.yaml"))
        #expect(failureLines(result) == ["11: expected training to run, but it failed: loss became NaN at step 2"])
    }

    @Test func withoutATrainerOnlyStaticExpectationsAreChecked() throws {
        let skipped = staticRunner.test(specAt: regressionFixture("fail/golden-off.yaml"))
        #expect(skipped.passed)
        #expect(skipped.trainingSkipped)
        let scratch = try ScratchDirectory()
        let wrongCount = try String(contentsOfFile: regressionFixture("training/thresholds.yaml"), encoding: .utf8) + "  parameters: 16\n"
        let result = staticRunner.test(specAt: try scratch.write(wrongCount, to: "thresholds.yaml"))
        #expect(failureLines(result) == ["21: expected 16 parameters but the network has 15"])
        #expect(result.trainingSkipped)
        #expect(!staticRunner.test(specAt: regressionFixture("fail/wrong-parameter-count.yaml")).trainingSkipped)
    }

    @Test func anUnreadableSpecFails() {
        let result = staticRunner.test(specAt: regressionFixture("no-such-spec.yaml"))
        #expect(failureLines(result) == ["-: expected no error in the file as a whole, but saw: cannot read the spec: it does not exist"])
    }

    @Test func resultsComeInPathOrderWhateverTheJobs() {
        let paths = ["fail/wrong-parameter-count.yaml", "pass/two-errors-one-line.yaml", "fail/missing-expected-error.yaml",
                     "fail/extra-unexpected-error.yaml", "fail/annotation-on-wrong-line.yaml"].map(regressionFixture)
        let reported = ReportLog()
        let results = staticRunner.test(specsAt: paths, jobs: 3) { reported.append($0.path) }
        #expect(results.map(\.path) == paths)
        #expect(reported.paths == paths)
        #expect(results.map(\.passed) == [false, true, false, false, false])
        #expect(results == staticRunner.test(specsAt: paths, jobs: 1))
    }
}

/// Paths in the order a report callback saw them.
final class ReportLog: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []
    func append(_ path: String) { lock.withLock { seen.append(path) } }
    var paths: [String] { lock.withLock { seen } }
}
