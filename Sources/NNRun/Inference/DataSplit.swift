import NN
import NNSpec

/// `--split train|test`: one of the spec's own data splits.
public enum DataSplit: String, CaseIterable, Sendable {
    case train, test

    /// The split's samples as the network takes them (loaded whole, reshaped, transformed) with
    /// their targets for the trained `weights`; throws when the spec has no such split, or, for a
    /// text spec, when the weights' vocabulary is missing or not the one the training text gives now
    /// (the indices would mean other characters).
    func dataset(for spec: ValidatedSpec, weights: String) throws -> Dataset {
        guard let source = self == .train ? spec.data?.train : spec.data?.test else {
            throw TrainingError.invalidOption("\(spec.name) has no data: \(rawValue): split")
        }
        if let vocabulary = try SpecData.textVocabulary(for: spec) {
            let metadata: [String: String]
            do { metadata = try SafetensorsReader(path: weights).metadata } catch { throw TrainingError.weights("--weights \(weights): \(error)") }
            let saved = try VocabularyMetadata.vocabulary(in: metadata, path: weights)
            guard saved == vocabulary else {
                throw TrainingError.weights(
                    "\(weights): its vocabulary (\(saved.count) tokens) is not the one the spec's training text gives now (\(vocabulary.count) tokens); the text changed since the weights were saved")
            }
        }
        return try SpecData.dataset(of: source, for: spec)
    }
}
