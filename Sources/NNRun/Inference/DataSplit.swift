import NNSpec

/// `--split train|test`: one of the spec's own data splits.
public enum DataSplit: String, CaseIterable, Sendable {
    case train, test

    /// The split's samples as the network takes them (loaded whole, reshaped, transformed) with
    /// their targets; throws when the spec has no such split.
    func dataset(for spec: ValidatedSpec) throws -> Dataset {
        guard let source = self == .train ? spec.data?.train : spec.data?.test else {
            throw TrainingError.invalidOption("\(spec.name) has no data: \(rawValue): split")
        }
        return try SpecData.dataset(of: source, for: spec)
    }
}
