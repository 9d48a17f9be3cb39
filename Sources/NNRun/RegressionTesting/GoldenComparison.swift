import NNSpec

/// Compares a run's values with a golden record under a tolerance (see `Tolerance`), section by
/// section for the sections the golden has: step losses, final metrics, weight checksums.
public struct GoldenComparison {
    /// Differing values listed per section before the rest are counted.
    public static let listedPerSection = 3

    public let golden: GoldenRecord
    public let tolerance: Double

    public init(golden: GoldenRecord, tolerance: Double) {
        self.golden = golden
        self.tolerance = tolerance
    }

    /// One message per difference beyond the tolerance ("step 4 loss expected 2.30121 ± 1e-05, but it is 2.31");
    /// empty when the run matches.
    public func differences(from seen: GoldenRecord) -> [String] {
        var messages: [String] = []
        if let expected = golden.losses { messages += lossDifferences(expected, seen.losses ?? []) }
        if let expected = golden.final { messages += finalDifferences(expected, seen.final) }
        if let expected = golden.weights { messages += weightDifferences(expected, seen.weights ?? []) }
        return messages
    }

    private func lossDifferences(_ expected: [Double], _ seen: [Double]) -> [String] {
        guard expected.count == seen.count else {
            return ["expected \(expected.count) step losses, but the run made \(seen.count) steps"]
        }
        let differing = zip(expected, seen).enumerated().filter { !Tolerance.accepts($0.element.1, expected: $0.element.0, tolerance: tolerance) }
        return listed(differing.map { step, pair in "step \(step + 1) loss \(mismatch(pair.0, pair.1))" }, what: "step losses")
    }

    private func finalDifferences(_ expected: GoldenRecord.FinalMetrics, _ seen: GoldenRecord.FinalMetrics?) -> [String] {
        let metrics: [(String, Double?, Double?)] = [
            ("loss", expected.loss, seen?.loss),
            ("test_loss", expected.testLoss, seen?.testLoss),
            ("test_accuracy", expected.testAccuracy, seen?.testAccuracy),
        ]
        return metrics.compactMap { name, expected, seen in
            guard let expected else { return nil }
            guard let seen else { return "final \(name) expected \(formatted(expected)), but the run measured none" }
            return Tolerance.accepts(seen, expected: expected, tolerance: tolerance) ? nil : "final \(name) \(mismatch(expected, seen))"
        }
    }

    private func weightDifferences(_ expected: [GoldenRecord.WeightChecksum], _ seen: [GoldenRecord.WeightChecksum]) -> [String] {
        let seenByName = Dictionary(seen.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let expectedNames = Set(expected.map(\.name))
        var messages: [String] = []
        for checksum in expected {
            guard let actual = seenByName[checksum.name] else {
                messages.append("expected a tensor '\(checksum.name)' in the final state, but the run has none by that name")
                continue
            }
            if actual.shape != checksum.shape {
                messages.append("expected \(checksum.name) of shape \(checksum.shape), but it is \(actual.shape)")
                continue
            }
            if !Tolerance.accepts(actual.sum, expected: checksum.sum, tolerance: tolerance) {
                messages.append("\(checksum.name) sum \(mismatch(checksum.sum, actual.sum))")
            }
            if !Tolerance.accepts(actual.norm, expected: checksum.norm, tolerance: tolerance) {
                messages.append("\(checksum.name) norm \(mismatch(checksum.norm, actual.norm))")
            }
        }
        for checksum in seen where !expectedNames.contains(checksum.name) {
            messages.append("the run has a tensor '\(checksum.name)' that the golden does not list")
        }
        return listed(messages, what: "weight checksums")
    }

    /// "expected 2.30121 ± 1e-05, but it is 2.31 (off by 0.00879)".
    private func mismatch(_ expected: Double, _ seen: Double) -> String {
        "expected \(formatted(expected)) ± \(formatted(tolerance)), but it is \(formatted(seen)) (off by \(formatted(abs(seen - expected))))"
    }

    /// The first `listedPerSection` messages, then a count of the rest.
    private func listed(_ messages: [String], what: String) -> [String] {
        guard messages.count > Self.listedPerSection else { return messages }
        return Array(messages.prefix(Self.listedPerSection)) + ["and \(messages.count - Self.listedPerSection) more \(what) differ"]
    }

    /// Golden values with 9 significant digits, so that a near miss is visible.
    private func formatted(_ value: Double) -> String { formatSignificant(value, digits: 9) }
}
