import Foundation
import NNCatalogue
import NNSpec

/// Tests spec files: an annotated spec (`# expect-error:`) must report exactly its annotated errors;
/// any other spec must be valid and meet its `expect:` block — the static entries against the
/// validated network, the after-training entries and golden against a training run.
public struct RegressionRunner: Sendable {
    /// Trains specs whose `expect:` needs a run. Without one, only what needs no run is checked
    /// (annotations and the static entries) and results say their training was skipped.
    public var trainer: (any SpecTrainer)?
    /// Record missing goldens and rewrite those the run no longer matches, instead of failing on them.
    public var updatesGoldens: Bool
    /// Which files a spec may name: its data, `init:` and `golden:` (checked when it is validated).
    public var fileAccess: SpecFileAccess
    /// When set, `test(specsAt:)` tests each spec in its own child process, so one spec that
    /// crashes is one failed result; nil tests them in this process.
    public var childProcess: ChildSpecProcess?

    public init(trainer: (any SpecTrainer)?, updatesGoldens: Bool = false, fileAccess: SpecFileAccess = .anywhere) {
        self.trainer = trainer
        self.updatesGoldens = updatesGoldens
        self.fileAccess = fileAccess
    }

    /// Tests the spec at `path`.
    public func test(specAt path: String) -> SpecTestResult {
        let validation = SpecValidator.standard.validate(file: path, fileAccess: fileAccess)
        let expectedErrors = ExpectedErrors(source: validation.source)
        guard expectedErrors.isEmpty, let spec = validation.spec else {
            let mismatches = expectedErrors.mismatches(validation.diagnostics)
            return SpecTestResult(path: path, failures: mismatches.map { ExpectationFailure(line: $0.line, $0.message) })
        }
        var failures = spec.staticExpectationFailures(file: path).map { ExpectationFailure(line: $0.mark?.line, $0.message) }
        guard spec.expect.needsTraining else { return SpecTestResult(path: path, failures: failures) }
        guard let trainer else { return SpecTestResult(path: path, failures: failures, trainingSkipped: true) }
        var goldenChanges: [String] = []
        failures += trainedFailures(of: spec, trainer: trainer, specPath: path, goldenChanges: &goldenChanges)
        return SpecTestResult(path: path, failures: failures, goldenChanges: goldenChanges)
    }

    /// Tests every spec in `paths` on up to `jobs` threads; `report` sees each result in the
    /// order of `paths` as soon as it and those before it are done. Returns the results in that order.
    public func test(specsAt paths: [String], jobs: Int = 1, report: @Sendable (SpecTestResult) -> Void = { _ in }) -> [SpecTestResult] {
        OrderedParallelMap(count: paths.count, jobs: jobs).run(
            { childProcess?.test(specAt: paths[$0]) ?? test(specAt: paths[$0]) }, report: report)
    }

    /// The after-training expectations and the golden, checked against one training run.
    private func trainedFailures(
        of spec: ValidatedSpec, trainer: any SpecTrainer, specPath: String, goldenChanges: inout [String]
    ) -> [ExpectationFailure] {
        let expect = spec.expect
        let firstLine = ["train", "loss_below", "loss_above", "accuracy_at_least", "test_loss_below", "final_loss", "golden"]
            .compactMap { expect.mark(of: $0)?.line }.min()
        let record: TrainingRecord
        do {
            record = try trainer.train(spec.applyingTestLength(), initialWeights: expect.training?.initialWeights)
        } catch {
            return [ExpectationFailure(line: firstLine, "expected training to run, but it failed: \(error)")]
        }
        var failures = TrainingExpectationCheck.failures(of: expect, record: record)
        if let golden = expect.golden {
            let directory = (specPath as NSString).deletingLastPathComponent
            let check = GoldenCheck(
                path: golden.file.hasPrefix("/") || directory.isEmpty ? golden.file : "\(directory)/\(golden.file)",
                tolerance: golden.tolerance, line: expect.mark(of: "golden")?.line, updates: updatesGoldens)
            failures += check.failures(of: record, changes: &goldenChanges)
        }
        return failures
    }
}

extension ValidatedSpec {
    /// The spec trained for `expect: train:`'s length when given: its `steps`, else its `epochs`
    /// (replacing the spec's `steps` too, as `nnspec train --epochs` does).
    func applyingTestLength() -> ValidatedSpec {
        guard let length = expect.training else { return self }
        var spec = self
        if let epochs = length.epochs {
            spec.train.epochs = epochs
            spec.train.steps = length.steps
        } else if let steps = length.steps {
            spec.train.steps = steps
        }
        return spec
    }
}
