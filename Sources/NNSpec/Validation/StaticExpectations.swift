/// The `expect:` entries that need no training — `parameters`, `output`, `named_parameters` —
/// compared with what validation computed. `nnspec test` reports these next to the trained ones.
extension ValidatedSpec {
    /// One diagnostic per expectation that the validated network does not meet, at the expectation.
    public func staticExpectationFailures(file: String) -> [Diagnostic] {
        var failures: [Diagnostic] = []
        func fail(_ message: String, key: String) {
            failures.append(Diagnostic(.error, message, file: file, mark: expect.mark(of: key)))
        }
        if let parameters = expect.parameters, parameters != parameterCount {
            fail("expected \(formatCount(parameters)) parameters but the network has \(formatCount(parameterCount))", key: "parameters")
        }
        if let expected = expect.output, !output.matches(expected) {
            fail("expected output \(expected) but the network output is \(output)", key: "output")
        }
        let actual = Dictionary(namedParameters.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        for expected in expect.namedParameters {
            guard let shape = actual[expected.name] else {
                fail("expected a parameter '\(expected.name)' but the network has none by that name", key: "named_parameters.\(expected.name)")
                continue
            }
            if shape != expected.shape {
                fail("expected \(expected.name) of shape \(expected.shape) but it is \(shape)", key: "named_parameters.\(expected.name)")
            }
        }
        return failures
    }
}

extension TensorShape {
    /// Equal sizes after the batch dimension, and batch dimensions that are equal or both symbolic.
    func matches(_ other: TensorShape) -> Bool {
        guard rank == other.rank, sampleSizes == other.sampleSizes else { return false }
        switch (batch, other.batch) {
        case (.symbol, .symbol): return true
        default: return batch == other.batch
        }
    }
}
