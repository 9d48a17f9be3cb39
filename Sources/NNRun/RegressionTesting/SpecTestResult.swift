/// The outcome of testing one spec file.
public struct SpecTestResult: Sendable, Equatable, Codable {
    /// The spec's path as discovered.
    public var path: String
    /// Every unmet expectation, in line order; empty when the spec passes.
    public var failures: [ExpectationFailure]
    /// Golden files recorded or rewritten in update mode ("recorded specs/training/mlp.golden.json").
    public var goldenChanges: [String]

    public init(path: String, failures: [ExpectationFailure], goldenChanges: [String] = []) {
        self.path = path
        self.failures = failures
        self.goldenChanges = goldenChanges
    }

    public var passed: Bool { failures.isEmpty }
}
