/// The outcome of testing one spec file.
public struct SpecTestResult: Sendable, Equatable, Codable {
    /// The spec's path as discovered.
    public var path: String
    /// Every unmet expectation, in line order; empty when the spec passes.
    public var failures: [ExpectationFailure]
    /// Golden files recorded or rewritten in update mode ("recorded specs/training/mlp.golden.json").
    public var goldenChanges: [String]
    /// True when the spec's after-training expectations were not checked (a run without training).
    public var trainingSkipped: Bool

    public init(path: String, failures: [ExpectationFailure], goldenChanges: [String] = [], trainingSkipped: Bool = false) {
        self.path = path
        self.failures = failures
        self.goldenChanges = goldenChanges
        self.trainingSkipped = trainingSkipped
    }

    public var passed: Bool { failures.isEmpty }
}
