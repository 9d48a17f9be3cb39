import Foundation
import NN
import NNSpec
import NNTensor
@testable import NNRun

/// A trainer for testing the runner's checks: it records the spec it was given and returns the
/// run `script` makes of it, or throws `failure`.
final class ScriptedTrainer: SpecTrainer, @unchecked Sendable {
    private let script: @Sendable (ValidatedSpec) -> TrainingRecord
    private let failure: RegressionError?
    private let lock = NSLock()
    private var specs: [ValidatedSpec] = []

    init(failure: RegressionError? = nil, script: @escaping @Sendable (ValidatedSpec) -> TrainingRecord) {
        self.script = script
        self.failure = failure
    }

    /// `losses` for every run, with a test accuracy and one weight tensor `fc.weight` [2] = weights.
    convenience init(losses: [Double], testAccuracy: Double? = nil, weights: [Float] = [0.5, -0.25]) {
        self.init { _ in
            TrainingRecord(
                losses: losses, testLoss: losses.last, testAccuracy: testAccuracy,
                finalState: [NamedTensor("fc.weight", Tensor(shape: [weights.count], scalars: weights))])
        }
    }

    /// The specs trained so far, in order.
    var trainedSpecs: [ValidatedSpec] { lock.withLock { specs } }

    func train(_ spec: ValidatedSpec, initialWeights: String?) throws -> TrainingRecord {
        lock.withLock { specs.append(spec) }
        if let failure { throw failure }
        return script(spec)
    }
}

/// A runner fixture's path: Tests/NNRunTests/Fixtures/Regression/`name`.
func regressionFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/Regression/\(name)").path
}

/// The failures of a result as "line: message", for comparing whole reports.
func failureLines(_ result: SpecTestResult) -> [String] {
    result.failures.map { "\($0.line.map(String.init) ?? "-"): \($0.message)" }
}
