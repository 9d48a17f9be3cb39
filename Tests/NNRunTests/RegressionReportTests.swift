import Foundation
import NN
import NNTensor
import Testing
@testable import NNRun

/// The text and JSON `nnspec test` prints, and golden files.
@Suite struct RegressionReportTests {
    let results = [
        SpecTestResult(path: "specs/a.yaml", failures: []),
        SpecTestResult(path: "specs/b.yaml", failures: [
            ExpectationFailure(line: 6, "expected 12 parameters but the network has 15"),
            ExpectationFailure(line: nil, "expected no error in the file (it has no # expect-error: annotation), but saw: cannot read the file"),
        ]),
        SpecTestResult(path: "specs/c.yaml", failures: [], goldenChanges: ["recorded specs/c.golden.json"]),
        SpecTestResult(path: "specs/d.yaml", failures: [], trainingSkipped: true),
    ]

    @Test func textNamesEachSpecAndEndsWithTheCounts() {
        let text = results.map(RegressionReport.text).joined() + RegressionReport.summary(results)
        #expect(text == """
            PASS specs/a.yaml
            FAIL specs/b.yaml
              specs/b.yaml:6: expected 12 parameters but the network has 15
              specs/b.yaml: expected no error in the file (it has no # expect-error: annotation), but saw: cannot read the file
            PASS specs/c.yaml
              golden: recorded specs/c.golden.json
            PASS specs/d.yaml (not trained)
            3 passed, 1 failed

            """)
    }

    @Test func jsonCarriesTheSameFacts() throws {
        let object = try JSONSerialization.jsonObject(with: Data(RegressionReport.json(results).utf8)) as? [String: Any]
        #expect(object?["passed"] as? Int == 3)
        #expect(object?["failed"] as? Int == 1)
        let specs = try #require(object?["specs"] as? [[String: Any]])
        #expect(specs.map { $0["path"] as? String } == ["specs/a.yaml", "specs/b.yaml", "specs/c.yaml", "specs/d.yaml"])
        #expect(specs.map { $0["passed"] as? Bool } == [true, false, true, true])
        #expect(specs.map { $0["training_skipped"] as? Bool } == [false, false, false, true])
        let failures = try #require(specs[1]["failures"] as? [[String: Any]])
        #expect(failures.first?["line"] as? Int == 6)
        #expect(failures.first?["message"] as? String == "expected 12 parameters but the network has 15")
        #expect(specs[2]["golden_changes"] as? [String] == ["recorded specs/c.golden.json"])
    }

    @Test func aGoldenRecordsLossesMetricsAndAChecksumAndReadsBack() throws {
        let record = TrainingRecord(
            losses: [2.5, .nan], testLoss: 1.25, testAccuracy: 0.5,
            finalState: [NamedTensor("fc.weight", Tensor(shape: [2, 2], scalars: [1, -2, 2, 0]))])
        let golden = GoldenRecord(recording: record)
        #expect(golden.final?.loss?.isNaN == true)
        #expect(golden.final?.testLoss == 1.25)
        #expect(golden.final?.testAccuracy == 0.5)
        #expect(golden.weights == [GoldenRecord.WeightChecksum(name: "fc.weight", shape: [2, 2], sum: 1, norm: 3)])
        let scratch = try ScratchDirectory()
        try golden.write(to: scratch.path("g.json"))
        let read = try GoldenRecord.read(from: scratch.path("g.json"))
        #expect(read.losses?.first == 2.5)
        #expect(read.losses?.last?.isNaN == true)
        #expect(read.weights == golden.weights)
        #expect(read.nnspecGolden == 1)
    }

    @Test func aGoldenWrittenByAnotherToolNeedsOnlyItsLosses() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write(#"{"losses": [0.5, 0.25]}"#, to: "torch.json")
        let golden = try GoldenRecord.read(from: path)
        let comparison = GoldenComparison(golden: golden, tolerance: 1e-4)
        #expect(comparison.differences(from: GoldenRecord(losses: [0.50001, 0.25], final: nil, weights: nil)).isEmpty)
        #expect(comparison.differences(from: GoldenRecord(losses: [0.5], final: nil, weights: nil)) == [
            "expected 2 step losses, but the run made 1 steps",
        ])
    }

    @Test func manyDifferencesAreListedThenCounted() {
        let comparison = GoldenComparison(golden: GoldenRecord(losses: [1, 1, 1, 1, 1], final: nil, weights: nil), tolerance: 0)
        let differences = comparison.differences(from: GoldenRecord(losses: [2, 2, 2, 2, 2], final: nil, weights: nil))
        #expect(differences == [
            "step 1 loss expected 1 ± 0, but it is 2 (off by 1)",
            "step 2 loss expected 1 ± 0, but it is 2 (off by 1)",
            "step 3 loss expected 1 ± 0, but it is 2 (off by 1)",
            "and 2 more step losses differ",
        ])
    }

    @Test func weightChecksumsNameTheTensor() {
        let expected = [GoldenRecord.WeightChecksum(name: "fc.weight", shape: [2], sum: 1, norm: 2),
                        GoldenRecord.WeightChecksum(name: "fc.bias", shape: [1], sum: 0, norm: 0)]
        let seen = [GoldenRecord.WeightChecksum(name: "fc.weight", shape: [2], sum: 1.5, norm: 2),
                    GoldenRecord.WeightChecksum(name: "bn.weight", shape: [1], sum: 0, norm: 0)]
        let differences = GoldenComparison(golden: GoldenRecord(losses: nil, final: nil, weights: expected), tolerance: 0.1)
            .differences(from: GoldenRecord(losses: nil, final: nil, weights: seen))
        #expect(differences == [
            "fc.weight sum expected 1 ± 0.1, but it is 1.5 (off by 0.5)",
            "expected a tensor 'fc.bias' in the final state, but the run has none by that name",
            "the run has a tensor 'bn.weight' that the golden does not list",
        ])
    }

    @Test func toleranceIsAbsoluteBelowOneAndRelativeAbove() {
        #expect(Tolerance.accepts(0.0105, expected: 0.01, tolerance: 1e-3))
        #expect(!Tolerance.accepts(0.012, expected: 0.01, tolerance: 1e-3))
        #expect(Tolerance.accepts(300.2, expected: 300, tolerance: 1e-3))
        #expect(!Tolerance.accepts(300.4, expected: 300, tolerance: 1e-3))
        #expect(!Tolerance.accepts(.nan, expected: 1, tolerance: 1))
    }
}
