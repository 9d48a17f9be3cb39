import Foundation
import NN
import NNData
import NNSpec
import NNTensor

/// What `nnspec sample` is asked to do.
public struct SampleOptions: Sendable {
    /// The trained weights, with the vocabulary `train --save` wrote beside them.
    public var weights: String
    public var count = 10
    /// Divides the scores before the softmax; 0 picks the highest score (greedy).
    public var temperature = 1.0
    public var seed: UInt64 = 0
    /// The most characters generated after the prompt.
    public var maxLength = 32
    public var prompt = ""

    public init(weights: String) {
        self.weights = weights
    }
}

/// Autoregressive sampling from a next-character model (a spec whose train split is a text source,
/// input [N, T], output [N, V, T]), in evaluation mode: the sequence so far (`<s>` or "\n" when the
/// vocabulary has it, then the prompt) fills the input from position 0, the network scores the next
/// character at the sequence's last position, and one is drawn from softmax(scores / temperature)
/// with a generator seeded by `seed` (temperature 0: the highest score), until the boundary token or
/// `maxLength` characters. Past T characters the last T are the input. Positions after the
/// sequence hold `<pad>` or index 0 and must not change earlier ones, so the network has to be
/// causal: attention with `causal: true`, recurrent layers in one direction.
public struct TextSampler {
    public let vocabulary: TextVocabulary
    private let predictor: Predictor
    private let context: Int

    /// Refuses a spec that is not a causal next-character model, and weights without a vocabulary
    /// or with one of another size than the output's.
    public init(spec: ValidatedSpec, weights: String) throws(TrainingError) {
        guard case .text? = spec.data?.train, spec.input.rank == 2, let context = spec.input.sampleSizes.first,
            spec.output.sampleSizes.count == 2, spec.output.sampleSizes[1] == context
        else {
            throw .invalidOption(
                "\(spec.name) is not a next-character model: sample needs a spec whose data train split is a text source, with an input [N, T] and an output [N, vocabulary, T]")
        }
        if let layer = spec.layers.first(where: { Self.seesLaterPositions($0) }) {
            throw .invalidOption(
                "\(layer.name) (\(layer.typeName)) lets a position see later ones, so the model cannot be sampled one character at a time (write causal: true, or bidirectional: false)")
        }
        let metadata: [String: String]
        do { metadata = try SafetensorsReader(path: weights).metadata } catch { throw .weights("--weights \(weights): \(error)") }
        vocabulary = try VocabularyMetadata.vocabulary(in: metadata, path: weights)
        guard vocabulary.count == spec.output.sampleSizes[0] else {
            throw .weights("--weights \(weights): its vocabulary has \(vocabulary.count) tokens but \(spec.name) scores \(spec.output.sampleSizes[0])")
        }
        self.context = context
        predictor = try Predictor(spec: spec, weights: weights)
    }

    /// True for attention that is not causal and for a bidirectional recurrent layer.
    static func seesLaterPositions(_ layer: ResolvedLayer) -> Bool {
        if layer.arguments.boolean("bidirectional") == true { return true }
        return layer.arguments.boolean("causal") == false
    }

    /// `options.count` samples, each the prompt and what followed it (the boundary token left out).
    public func samples(_ options: SampleOptions) throws(TrainingError) -> [String] {
        let prompt = try options.prompt.unicodeScalars.map { (scalar) throws(TrainingError) -> Int in
            guard let index = vocabulary.index(of: scalar) else {
                throw .invalidOption("--prompt: the character \(VisibleText.escaped(String(Character(scalar)))) is not in the model's vocabulary")
            }
            return index
        }
        let start = (vocabulary.boundaryIndex.map { [$0] } ?? []) + prompt
        guard !start.isEmpty else {
            throw .invalidOption("the vocabulary has no newline to start a sample from: give the first characters with --prompt")
        }
        var generator = RandomGenerator(seed: options.seed)
        var samples: [String] = []
        for _ in 0..<options.count {
            var sequence = start
            while sequence.count - start.count < options.maxLength {
                let next = try nextIndex(after: sequence, temperature: Float(options.temperature), using: &generator)
                if next == vocabulary.boundaryIndex { break }
                sequence.append(next)
            }
            samples.append((prompt + sequence.dropFirst(start.count)).map { vocabulary.tokens[$0] }.joined())
        }
        return samples
    }

    /// One index drawn from the scores at the last position of `sequence` (its last T indices).
    private func nextIndex(after sequence: [Int], temperature: Float, using generator: inout RandomGenerator) throws(TrainingError) -> Int {
        let window = sequence.suffix(context)
        let padding = Float(vocabulary.unit == .lines ? TextVocabulary.paddingIndex : 0)
        let input = Tensor(shape: [1, context], scalars: window.map(Float.init) + Array(repeating: padding, count: context - window.count))
        let output = try predictor.outputs(input)
        let position = window.count - 1
        let scores = (0..<vocabulary.count).map { output.scalars[$0 * context + position] }
        guard temperature > 0 else { return scores.indices.max { scores[$0] < scores[$1] } ?? 0 }
        let highest = scores.max() ?? 0
        let weights = scores.map { Double(exp(($0 - highest) / temperature)) }
        var remaining = Double(generator.nextUnitFloat()) * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            remaining -= weight
            if remaining < 0 { return index }
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }
}
