import NNSpec

/// The `expect:` entries checked against a training run: `loss_below`, `loss_above`,
/// `accuracy_at_least`, `test_loss_below` and `final_loss`. Goldens are compared by `GoldenComparison`.
public enum TrainingExpectationCheck {
    public static func failures(of expect: Expectations, record: TrainingRecord) -> [ExpectationFailure] {
        var failures: [ExpectationFailure] = []
        func fail(_ key: String, _ message: String) {
            failures.append(ExpectationFailure(line: expect.mark(of: key)?.line, message))
        }
        let steps = "after \(record.losses.count) step\(record.losses.count == 1 ? "" : "s")"
        let finalLoss = record.finalLoss
        let seenLoss = finalLoss.map { "it is \(format($0)) \(steps)" } ?? "the run made no step"
        if let bound = expect.lossBelow, !(finalLoss.map { $0 < bound } ?? false) {
            fail("loss_below", "expected the final loss below \(format(bound)), but \(seenLoss)")
        }
        if let bound = expect.lossAbove, !(finalLoss.map { $0 > bound } ?? false) {
            fail("loss_above", "expected the final loss above \(format(bound)), but \(seenLoss)")
        }
        if let (value, tolerance) = expect.finalLoss,
            !(finalLoss.map { Tolerance.accepts($0, expected: value, tolerance: tolerance) } ?? false)
        {
            let off = finalLoss.map { " (off by \(format(abs($0 - value))))" } ?? ""
            fail("final_loss", "expected the final loss \(format(value)) ± \(format(tolerance)), but \(seenLoss)\(off)")
        }
        if let bound = expect.accuracyAtLeast {
            if let accuracy = record.testAccuracy {
                if accuracy < bound {
                    fail("accuracy_at_least", "expected test accuracy at least \(format(bound)), but it is \(format(accuracy)) \(steps)")
                }
            } else {
                fail("accuracy_at_least", "expected test accuracy at least \(format(bound)), but the run measured none (the data needs a test: split with classes)")
            }
        }
        if let bound = expect.testLossBelow {
            if let testLoss = record.testLoss {
                if !(testLoss < bound) {
                    fail("test_loss_below", "expected the test loss below \(format(bound)), but it is \(format(testLoss)) \(steps)")
                }
            } else {
                fail("test_loss_below", "expected the test loss below \(format(bound)), but the run measured none (the data needs a test: split)")
            }
        }
        return failures
    }

    /// Bounds and measured values with 6 significant digits.
    static func format(_ value: Double) -> String { formatSignificant(value, digits: 6) }
}
